"""Render a fragment of a page once per build and reuse it wherever it reads the same.

`{% cache "footer", current_lang(), SITEURL %}…{% endcache %}` renders its body the first
time that key is met and repeats the text afterwards. The key must name everything the
body depends on: the site header, say, is the same on every page of a language site at
one depth.

`{{ summary_item(article) }}` does the same for a post's summary (`_summary.html`), repeated
on index, country, topic, author and archive pages, and keeps the summaries of one language
site at a time: a build writes one language site's list pages together, and once it moves on
to another language, the summaries it kept (tens of megabytes in a large archive) would
never be met again (`{% cache … for current_lang() %}` keeps any fragment so).

With relative URLs, SITEURL differs with a page's depth ("..", "../.."). A summary is
rendered with `SITEURL_MARK` as its SITEURL and given the page's own afterwards, so that one
rendering serves every depth; one with links within the site (`{filename}`) is rendered per
depth, with its links made for it (`summary_links_within_site`, `summary_at`).
"""

from jinja2 import nodes, pass_context
from jinja2.ext import Extension
from jinja2.utils import concat
from markupsafe import Markup
from pelican import signals

# Nothing a page shows can hold a NUL character.
SITEURL_MARK = "\x00SITEURL\x00"


class FragmentCache(Extension):
    """The `{% cache key, … [for scope] %}` tag; each Jinja environment (one per generator and run) has its own store."""

    tags = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        # {name: (scope, {rest of the key: text})}
        self.fragments = {}
        environment.globals["summary_item"] = self.summary_item

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
        return self._kept(key[0], key[1:], scope, caller)

    def _kept(self, name, rest, scope, render):
        kept_scope, texts = self.fragments.get(name, (scope, {}))
        if kept_scope != scope:
            texts = {}
        self.fragments[name] = (scope, texts)
        if rest not in texts:
            texts[rest] = render()
        return texts[rest]

    @pass_context
    def summary_item(self, context, article):
        """`_summary.html` for `article`, as `{% include %}` would render it here: kept per language site.

        The same as `{% cache "summary", … for current_lang() %}` around the include, without
        the tag's cost on every list page (a Jinja macro made for its body at each use).
        """
        siteurl, linked = context.get("SITEURL", ""), summary_links_within_site(article)
        shown_at = siteurl if linked else SITEURL_MARK

        def render():
            template = context.environment.get_template("_summary.html")
            variables = template.new_context(context.get_all(), True, {"article": article, "SITEURL": shown_at})
            return Markup(concat(template.root_render_func(variables)))

        text = self._kept("summary", (article.source_path, shown_at), context.call(context["current_lang"]), render)
        return text if linked else text.replace(SITEURL_MARK, siteurl)


def keep_summary_texts(generators):
    """Keep each `Summary:` as written, before Pelican makes its links for the site's root alone."""
    for generator in generators:
        for content in [*getattr(generator, "articles", []), *getattr(generator, "translations", [])]:
            if "summary" in content.metadata:
                content.summary_text = getattr(content, "_summary", None) or content.metadata["summary"]


def summary_links_within_site(content):
    """Whether the summary has links within the site (`{filename}`), which depend on the page's SITEURL."""
    text = getattr(content, "summary_text", None) if "summary" in content.metadata else content._content
    # Asked on every list page that shows the post: searched once per text (an edit brings a new one).
    searched, found = vars(content).get("_summary_links_found", (None, False))
    if searched is not text:
        found = bool(text) and bool(content._get_intrasite_link_regex().search(text))
        content._summary_links_found = (text, found)
    return found


def summary_at(content, siteurl):
    """The summary with its links within the site made for a page whose SITEURL is `siteurl`.

    Pelican makes those of a `Summary:` once, for the site's root, and those of a summary cut
    from the text for the last page written with the content's own context (a language
    site's list pages have a context of their own).
    """
    if getattr(content, "summary_text", None) is not None:
        return content._update_content(content.summary_text, siteurl)
    context = content._context
    # Pelican's writer starts each page from this value: leave it as found.
    previous, context["localsiteurl"] = context.get("localsiteurl"), siteurl
    try:
        return content.summary
    finally:
        context["localsiteurl"] = previous


def install(generator):
    generator.env.add_extension(FragmentCache)
    generator.env.filters["summary_links_within_site"] = summary_links_within_site
    generator.env.filters["summary_at"] = summary_at


def register():
    signals.generator_init.connect(install)
    signals.all_generators_finalized.connect(keep_summary_texts)
