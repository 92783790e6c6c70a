"""Links to country, topic and author pages: `[posts from there]({category}Kazakhstan)`.

Pelican makes such a link into the address the page would have, whether or not the site
has that page: `{category}Yeah` links to `country/yeah/`, which is never written.
"""

import difflib
import html
import re

from pelican.urlwrappers import Author, Category, Tag

from .checks import fragment_line
from .problems import report

_TERM_LINK = re.compile(r"""href=(["'])(?P<written>(?:\{(?P<what>category|tag|author)\}|\|(?P<old>category|tag|author)\|)(?P<name>[^"'#?]*))""")

# What each kind of link names, in an editor's words, and why it has no page; Pelican's class that makes its address;
# the articles generator's list of the terms that have a page.
KINDS = {
    "category": ("a country", "no published post is about it", Category, "categories"),
    "tag": ("a topic", "no published post has it", Tag, "tags"),
    "author": ("an author", "no published post is by them", Author, "authors"),
}


def term_links(fragment):
    """(kind, name as Pelican reads it, the link as written in the source) for each link to a term's page."""
    return [(m["what"] or m["old"], m["name"], html.unescape(m["written"])) for m in _TERM_LINK.finditer(fragment)]


def missing_term(kind, name, pages, settings):
    """What is wrong with a link to the page of a term named `name`, and how to fix it; None if the page exists.

    `pages`: the names of the terms that have a page, by slug, for this kind.
    """
    noun, why, wrapper, _ = KINDS[kind]
    if wrapper(name, settings).slug in pages:
        return None
    close = difflib.get_close_matches(name, list(pages.values()), n=1, cutoff=0.6)
    example = close[0] if close else next(iter(sorted(pages.values())), None)
    hint = f'did you mean "{{{kind}}}{example}"?' if close else (f'e.g. "{{{kind}}}{example}"' if example else "")
    return (f'the link "{{{kind}}}{name}" goes to the page of {noun} that does not exist: {why}',
            f"link {noun} that has a page; {hint}" if hint else "remove the link: the site has no such page yet")  # fmt: skip


def _terms(listing):
    """The terms of Pelican's listing: (term, posts) pairs for countries and authors, a dict for topics."""
    return list(listing) if isinstance(listing, dict) else [term for term, _ in listing]


def check_term_links(contents, articles_generator):
    """Report every link to a country, topic or author page the site will not have."""
    settings = articles_generator.settings
    pages = {kind: {term.slug: term.name for term in _terms(getattr(articles_generator, attribute))}
             for kind, (*_, attribute) in KINDS.items()}  # fmt: skip
    for content in contents:
        found = [(kind, name, written, missing_term(kind, name, pages[kind], settings))
                 for kind, name, written in term_links(content._content or "")]  # fmt: skip
        found = [item for item in found if item[3]]
        if not found:
            continue
        with open(content.source_path, encoding="utf-8-sig") as source:
            text = source.read()
        for _, _, written, (message, fix) in found:
            report(content.source_path, fragment_line(text, written), message, fix)
