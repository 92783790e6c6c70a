"""The HTML a post may contain: an allow-list applied with nh3, and a report of what it removes."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip
# Removed with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "object", "embed", "svg", "math"}
ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir", "title", "aria-hidden", "aria-label"},
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "time": {"datetime"}, "ol": {"start", "reversed", "type"}, "li": {"value"},
    "td": {"colspan", "rowspan", "style"}, "th": {"colspan", "rowspan", "scope", "style"},
    "col": {"span"}, "colgroup": {"span"},
}  # fmt: skip
# Markdown's tables extension aligns columns with `style="text-align: …"`; nothing else is kept.
STYLE_PROPERTIES = {"text-align"}
URL_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "cite"}
SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups"
_IFRAME_WITHOUT_SRC = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)
_STYLE_PROPERTY = re.compile(r"\s*([a-zA-Z-]+)\s*:")


def _scheme_allowed(url):
    scheme = urlsplit(url.strip()).scheme.lower()
    return not scheme or scheme in URL_SCHEMES


def _embed_allowed(url, embed_hosts):
    parts = urlsplit(url.strip())
    return parts.scheme == "https" and parts.hostname in embed_hosts


def clean(fragment, embed_hosts):
    """The fragment with everything outside the allow-list removed."""

    def keep(tag, attribute, value):
        if tag == "iframe" and attribute == "src" and not _embed_allowed(value, embed_hosts):
            return None
        return value

    cleaned = nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        link_rel=None,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        # A post's images are below its title and lead image: fetched only as the reader nears them.
        set_tag_attribute_values={"iframe": {"sandbox": SANDBOX, "loading": "lazy"}, "img": {"loading": "lazy"}},
    )
    return _IFRAME_WITHOUT_SRC.sub("", cleaned)


class _Inspector(HTMLParser):
    def __init__(self, embed_hosts):
        super().__init__(convert_charrefs=True)
        self.embed_hosts = embed_hosts
        self.removed = []

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT or tag not in TAGS:
            self.removed.append((f"<{tag}", f"the <{tag}> element"))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.removed.append((f"{name}=", f'the {name}="…" attribute of <{tag}>'))
            elif name == "style":
                properties = {p.lower() for p in _STYLE_PROPERTY.findall(value)}
                if properties - STYLE_PROPERTIES:
                    self.removed.append(("style=", f"the style {sorted(properties - STYLE_PROPERTIES)} of <{tag}>"))
            elif name in URL_ATTRIBUTES and not _scheme_allowed(value):
                scheme = urlsplit(value.strip()).scheme.lower()
                self.removed.append((f"{scheme}:", f"the {scheme}: address in {name} of <{tag}>"))
            elif tag == "iframe" and name == "src" and not _embed_allowed(value, self.embed_hosts):
                host = urlsplit(value.strip()).hostname or value
                self.removed.append((value, f"an <iframe> from {host}, which is not an allowed embed host"))


def removals(fragment, embed_hosts):
    """What `clean` would remove from the fragment: (source fragment to find, description) pairs."""
    inspector = _Inspector(embed_hosts)
    inspector.feed(fragment)
    inspector.close()
    return inspector.removed
