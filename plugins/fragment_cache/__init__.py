"""Render a fragment of a page once per build and reuse it wherever it reads the same.

`{% cache "footer", current_lang(), SITEURL %}…{% endcache %}` renders its body the first
time that key is met and repeats the text afterwards. The key must name everything the
body depends on: a post's summary is repeated on index, country, topic, author and
archive pages of every language site, and the site header on every page.
"""

from jinja2 import nodes
from jinja2.ext import Extension
from pelican import signals


class FragmentCache(Extension):
    """The `{% cache key, … %}` tag; each Jinja environment (one per generator and run) has its own store."""

    tags = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        self.fragments = {}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key, caller):
        if key not in self.fragments:
            self.fragments[key] = caller()
        return self.fragments[key]


def install(generator):
    generator.env.add_extension(FragmentCache)


def register():
    signals.generator_init.connect(install)
