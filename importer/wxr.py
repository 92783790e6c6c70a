"""Read a WordPress eXtended RSS export, streaming: its version, authors, attachments and posts.

WordPress has written WXR 1.0 (WordPress 3.0; no author list, dc:creator holds the login),
1.1 (3.1–3.4) and 1.2 (3.5 on). The version is read from the `wp:` namespace the document
declares. The file is untrusted: no entity is expanded, nothing is fetched, and each item is
dropped from memory once read, so a large archive is read in two passes of near-constant memory.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

KNOWN_VERSIONS = ("1.0", "1.1", "1.2")
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(?P<version>[^/]+)/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/[^/]+/excerpt/$")
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
# Old exports (WXR 1.0) name tags "tag" and write each category twice, once without a domain.
CATEGORY_DOMAINS = {"category": "category", None: "category", "post_tag": "tag", "tag": "tag"}


class ExportError(ValueError):
    """The file is XML but not an export this importer can read; the message says what it found."""


@dataclass
class Post:
    wp_id: str
    title: str
    slug: str
    date: str
    status: str
    author: str
    login: str
    content: str
    excerpt: str
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    link: str = ""
    parent_attachments: list = field(default_factory=list)
    has_comments: bool = False


@dataclass
class Attachment:
    wp_id: str
    url: str
    title: str
    caption: str
    alt: str
    parent: str


@dataclass
class Export:
    """What the first pass learns: enough to read the posts in the second."""

    path: str
    version: str
    wp: str  # the wp: namespace URI
    excerpt: str
    language: str = "en"
    authors: dict = field(default_factory=dict)  # login -> display name
    attachments: dict = field(default_factory=dict)  # id -> Attachment
    item_types: Counter = field(default_factory=Counter)

    @property
    def post_count(self):
        return self.item_types["post"]

    def posts(self):
        """Every post, one at a time, in the export's order."""
        by_parent = {}
        for attachment in self.attachments.values():
            by_parent.setdefault(attachment.parent, []).append(attachment)
        for item in items(self.path):
            if _text(item, self._wp("post_type")) == "post":
                yield self._post(item, by_parent)

    def _wp(self, name):
        return f"{{{self.wp}}}{name}"

    def _post(self, item, by_parent):
        login = _text(item, f"{{{DC}}}creator")
        terms = {"category": [], "tag": []}
        for term in item.iterfind("category"):
            kind = CATEGORY_DOMAINS.get(term.get("domain"))
            name = html.unescape(term.text or "").strip()
            if kind and name and name not in terms[kind]:
                terms[kind].append(name)
        wp_id = _text(item, self._wp("post_id"))
        return Post(
            wp_id=wp_id,
            title=html.unescape(_text(item, "title")).strip(),
            slug=_text(item, self._wp("post_name")),
            date=_text(item, self._wp("post_date")),
            status=_text(item, self._wp("status")),
            author=self.authors.get(login) or login,
            login=login,
            content=_text(item, f"{{{CONTENT}}}encoded"),
            excerpt=_text(item, f"{{{self.excerpt}}}encoded") if self.excerpt else "",
            categories=terms["category"],
            tags=terms["tag"],
            link=_text(item, "link").strip(),
            parent_attachments=by_parent.get(wp_id, []),
            has_comments=item.find(self._wp("comment")) is not None,
        )  # fmt: skip


def _parser_options():
    # No entity expansion (billion laughs, external entities), no network, no DTD; huge_tree
    # because one post's CDATA may pass libxml2's 10 MB limit on a text node.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": True}


def _text(element, path):
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _release(element):
    """Drop an element read to its end, and what came before it, so memory stays flat."""
    element.clear(keep_tail=False)
    while element.getprevious() is not None:
        del element.getparent()[0]


def items(path, extra_tags=()):
    """Each <item> of the export (and each element of `extra_tags`), dropped from memory once the caller is done."""
    for _event, element in etree.iterparse(str(path), events=("end",), tag=["item", *extra_tags], **_parser_options()):
        yield element
        if element.tag == "item":
            _release(element)


def _namespaces(path):
    """The namespaces the document's root element declares."""
    for _event, element in etree.iterparse(str(path), events=("start",), **_parser_options()):
        return dict(element.nsmap)
    return {}


def open_export(path):
    """The first pass: version, language, authors, attachments and a count of items by type."""
    namespaces = _namespaces(path)
    versions = {m["version"]: uri for uri in namespaces.values() if (m := _WP_NAMESPACE.match(uri))}
    if not versions:
        found = ", ".join(sorted(namespaces.values())) or "none"
        raise ExportError(f"this is not a WordPress export: no http://wordpress.org/export/1.x/ namespace "
                          f"(namespaces found: {found})")  # fmt: skip
    unknown = sorted(set(versions) - set(KNOWN_VERSIONS))
    if unknown or len(versions) > 1:
        raise ExportError(f"the export declares WXR {', '.join(sorted(versions))} ({', '.join(sorted(versions.values()))}); "
                          f"this importer reads WXR {', '.join(KNOWN_VERSIONS)}, one at a time")  # fmt: skip
    (version, wp), = versions.items()
    excerpt = next((uri for uri in namespaces.values() if _EXCERPT_NAMESPACE.match(uri)), "")
    export = Export(str(path), version, wp, excerpt)
    for element in items(path, extra_tags=("language", f"{{{wp}}}author")):
        if element.tag == "language" and element.getparent().tag == "channel":
            export.language = (element.text or "en").split("-")[0].strip().lower() or "en"
        elif element.tag == f"{{{wp}}}author":
            login = _text(element, export._wp("author_login"))
            export.authors[login] = _text(element, export._wp("author_display_name")).strip() or login
        elif element.tag == "item":
            kind = _text(element, export._wp("post_type")) or "(no post type)"
            export.item_types[kind] += 1
            if kind == "attachment":
                attachment = _attachment(element, export)
                export.attachments[attachment.wp_id] = attachment
    if not export.post_count:
        what = ", ".join(f"{n} {kind}" for kind, n in export.item_types.most_common()) or "no items at all"
        raise ExportError(f"the export (WXR {version}) has no posts to import: {what}; "
                          "export again from Tools > Export with \"Posts\" or \"All content\"")  # fmt: skip
    return export


def _attachment(item, export):
    alt = ""
    for meta in item.iterfind(export._wp("postmeta")):
        if _text(meta, export._wp("meta_key")) == "_wp_attachment_image_alt":
            alt = _text(meta, export._wp("meta_value")).strip()
    return Attachment(
        wp_id=_text(item, export._wp("post_id")),
        url=_text(item, export._wp("attachment_url")).strip() or _text(item, "guid").strip(),
        title=html.unescape(_text(item, "title")).strip(),
        caption=_text(item, f"{{{export.excerpt}}}encoded").strip() if export.excerpt else "",
        alt=alt,
        parent=_text(item, export._wp("post_parent")),
    )
