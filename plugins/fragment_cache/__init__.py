"""Render a fragment of a page once and reuse it wherever it reads the same.

A post's summary is repeated on index, country, topic, author and archive pages of
every language site. `cached_fragment("_summary.html", article)` renders it once
per post, page language and relative site root, for the whole build.
"""

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

CACHE = "FRAGMENT_CACHE"


@pass_context
def cached_fragment(context, template, article):
    lang = context.environment.globals["current_lang"](context)
    key = (template, id(article), lang, context.get("SITEURL"))
    cache = context[CACHE]
    if key not in cache:
        variables = {**context.get_all(), "article": article}
        cache[key] = Markup(context.environment.get_template(template).render(variables))
    return cache[key]


def start_cache(generators):
    """A new cache for every run: `pelican --autoreload` runs the same settings again."""
    generators[0].context[CACHE] = {}


def install(generator):
    generator.env.globals["cached_fragment"] = cached_fragment


def register():
    signals.generator_init.connect(install)
    signals.all_generators_finalized.connect(start_cache)
