"""Related stories: at the end of each post, a few posts of its language site that share its
countries and topics (`RELATED = {"count": 3}`), the most shared first, then the newest."""

from collections import defaultdict

from pelican import signals
from strict.problems import settings_error

from .scoring import Story, related_stories

SETTING = "RELATED"
DEFAULTS = {"count": 3}


def check_config(pelican):
    config = {**DEFAULTS, **pelican.settings.get(SETTING, {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"related: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    if type(config["count"]) is not int or not 0 <= config["count"] <= 20:
        settings_error(f'related: {SETTING}["count"] must be a number of posts from 0 to 20, e.g. 3')
    pelican.settings[SETTING] = config


def _story(article):
    countries = getattr(article, "countries", None) or [article.category]
    return Story(article.url, frozenset(c.slug for c in countries),
                 frozenset(t.slug for t in getattr(article, "tags", [])), article.date)  # fmt: skip


def attach_related(generator):
    """Each post's related posts, among the published posts in its own language only."""
    by_lang = defaultdict(list)
    for article in [*generator.articles, *generator.translations]:
        by_lang[article.lang].append(article)
    for article in generator.drafts:
        article.related = []
    count = generator.settings[SETTING]["count"]
    for articles in by_lang.values():
        by_url = {article.url: article for article in articles}
        found = related_stories([_story(article) for article in articles], count)
        for article in articles:
            article.related = [by_url[url] for url in found[article.url]]


def register():
    signals.initialized.connect(check_config)
    signals.article_generator_finalized.connect(attach_related)
