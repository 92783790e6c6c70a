"""Topics and authors get a page each, at an address made from the name ("Human Rights" ->
topic/human-rights/): a name must make an address, and one address must not stand for two
spellings, or one page (and feed) would be written over the other."""

from collections import defaultdict

from .problems import display_path

# Metadata key -> how the message names it, and where its page is.
TERMS = {"tags": ("Tags", "TAG_URL"), "author": ("Author", "AUTHOR_URL"), "authors": ("Authors", "AUTHOR_URL")}
ARTICLE_KINDS = ("articles", "drafts", "hidden_articles", "translations", "drafts_translations", "draft_translations",
                 "hidden_translations")  # fmt: skip


def said_better_here(record):
    """A logging filter: Pelican's "Unable to generate valid slug for Tag" names no file;
    `term_problems` reports the same with the file and line."""
    return not str(record.msg).startswith("Unable to generate valid slug for")


def term_uses(generator):
    """(path, key, name, slug) for every topic and author of every post, in file order."""
    contents = {id(c): c for kind in ARTICLE_KINDS for c in getattr(generator, kind, [])}.values()
    uses = []
    for content in sorted(contents, key=lambda c: c.source_path):
        author_key = "authors" if "authors" in content.metadata else "author"
        for key, wrappers in (("tags", getattr(content, "tags", [])), (author_key, getattr(content, "authors", []))):
            uses += [(content.source_path, key, wrapper.name, wrapper.slug) for wrapper in wrappers]
    return uses


def term_problems(uses, settings):
    """(path, key, message, fix) for each name that makes no address or another name's address."""
    first_spelling = defaultdict(dict)
    for path, key, name, slug in uses:
        first_spelling[(TERMS[key][1], slug)].setdefault(name, path)
    problems = []
    for path, key, name, slug in uses:
        label, url = TERMS[key]
        if not slug:
            problems.append((path, key, f'{label}: "{name}" makes no address (it has no letter or digit)',
                             "write the name with letters or digits"))  # fmt: skip
            continue
        first, where = next(iter(first_spelling[(url, slug)].items()))
        if name != first:
            page = settings[url].format(slug=slug)
            problems.append((path, key, f'{label}: "{name}" and "{first}" ({display_path(where)}) make one page, {page}',
                             f'write it "{first}" as there, or name it so that it makes another address'))  # fmt: skip
    return problems
