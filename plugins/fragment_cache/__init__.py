"""Render a fragment of a page once per build and reuse it wherever it reads the same.

`{% cache "footer", current_lang(), SITEURL %}…{% endcache %}` renders its body the first
time that key is met and repeats the text afterwards. The key must name everything the
body depends on: a post's summary is repeated on index, country, topic, author and
archive pages of every language site, and the site header on every page.

`{% cache "summary", article.source_path, SITEURL for current_lang() %}` keeps the fragments
of that name for one scope at a time: a build writes one language site's list pages
together, and once it moves on to another language, the summaries it kept (tens of
megabytes in a large archive) would never be met again.
"""

from jinja2 import nodes
from jinja2.ext import Extension
from pelican import signals


class FragmentCache(Extension):
    """The `{% cache key, … [for scope] %}` tag; each Jinja environment (one per generator and run) has its own store."""

    tags = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        # {name: (scope, {rest of the key: text})}
        self.fragments = {}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        scope = parser.parse_expression() if parser.stream.skip_if("name:for") else nodes.Const(None)
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.Tuple(key, "load"), scope])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def forget(self):
        """Drop every fragment: what they were rendered from has changed (a post edited while previewing)."""
        self.fragments = {}

    def _fragment(self, key, scope, caller):
        name, rest = key[0], key[1:]
        kept_scope, texts = self.fragments.get(name, (scope, {}))
        if kept_scope != scope:
            texts = {}
        self.fragments[name] = (scope, texts)
        if rest not in texts:
            texts[rest] = caller()
        return texts[rest]


def install(generator):
    generator.env.add_extension(FragmentCache)


def register():
    signals.generator_init.connect(install)
