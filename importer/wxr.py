"""Read a WordPress eXtended RSS export: posts, their authors, terms and comments."""

import html
from dataclasses import dataclass, field

from lxml import etree

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@dataclass
class Post:
    wp_id: str
    title: str
    slug: str
    date: str
    status: str
    author: str
    content: str
    excerpt: str
    categories: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    link: str = ""
    comments: list = field(default_factory=list)


def _text(element, path):
    found = element.find(path, NS)
    return (found.text or "") if found is not None else ""


def read_export(path):
    """(the site's language, [Post]) from a WXR file; pages, attachments and menus are left out."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)).getroot()
    channel = root.find("channel")
    language = (_text(channel, "language") or "en").split("-")[0].lower()
    authors = {_text(a, "wp:author_login"): _text(a, "wp:author_display_name") or _text(a, "wp:author_login")
               for a in channel.findall("wp:author", NS)}  # fmt: skip
    posts = []
    for item in channel.findall("item"):
        if _text(item, "wp:post_type") != "post":
            continue
        login = _text(item, "dc:creator")
        terms = item.findall("category")
        posts.append(Post(
            wp_id=_text(item, "wp:post_id"),
            title=html.unescape(_text(item, "title")).strip(),
            slug=_text(item, "wp:post_name"),
            date=_text(item, "wp:post_date"),
            status=_text(item, "wp:status"),
            author=authors.get(login, login),
            content=_text(item, "content:encoded"),
            excerpt=_text(item, "excerpt:encoded"),
            categories=[html.unescape(t.text or "").strip() for t in terms if t.get("domain") == "category"],
            tags=[html.unescape(t.text or "").strip() for t in terms if t.get("domain") == "post_tag"],
            link=_text(item, "link"),
            comments=item.findall("wp:comment", NS),
        ))  # fmt: skip
    return language, posts
