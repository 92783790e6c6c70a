"""Pure checks on source text and metadata; each returns what is wrong, or None."""

import difflib
import re

from country_names import country_code  # noqa: F401 (re-exported: strict and its callers check countries here)
from country_names import suggestion as country_suggestion  # noqa: F401

# Metadata keys Pelican itself reads (its readers lowercase them).
PELICAN_METADATA = frozenset(
    {
        "title", "date", "modified", "category", "tags", "slug", "author", "authors",
        "summary", "lang", "translation", "status", "template", "save_as", "url",
        "keywords",
    }
)  # fmt: skip

_META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_META_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")


def metadata_block(text):
    """Map each metadata key (lowercased) at the top of a Markdown text to its line.

    Follows the rules of Markdown's `meta` extension: an optional `---` line, then
    `Key: value` lines, indented continuation lines, up to the first blank line.
    Also returns the number of the first line after the block.
    """
    lines = text.splitlines()
    keys = {}
    number = 0
    if lines and lines[0].strip() == "---":
        number = 1
    while number < len(lines):
        line = lines[number]
        if not line.strip() or line.strip() in ("---", "..."):
            break
        match = _META_LINE.match(line)
        if match:
            keys.setdefault(match["key"].lower(), number + 1)
        elif not (keys and _META_CONTINUATION.match(line)):
            break
        number += 1
    return keys, number + 1


def metadata_values(text):
    """The metadata block's values as written, by lowercased key (first line of each only)."""
    keys, _ = metadata_block(text)
    lines = text.splitlines()
    return {key: lines[line - 1].split(":", 1)[1].strip() for key, line in keys.items()}


def listed(metadata, key):
    """A comma-separated metadata value as a list: "Mirror: neweurasia, globalvoices"."""
    return [item.strip() for item in str(metadata.get(key, "")).split(",") if item.strip()]


def malformed_metadata(text):
    """The first line of the metadata block that is not `Key: value`, as (number, line), or None.

    Markdown's `meta` extension silently ends the block at such a line and turns the
    rest of the block into the post's text, so a forgotten colon loses metadata.
    """
    lines = text.splitlines()
    start = 1 if lines and lines[0].strip() == "---" else 0
    if start >= len(lines) or not _META_LINE.match(lines[start]):
        return None
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if not line.strip() or line.strip() in ("---", "..."):
            return None
        if not (_META_LINE.match(line) or _META_CONTINUATION.match(line)):
            return number + 1, line
    return None


_QUOTE_MARKS = re.compile(r"^(?:\s{0,3}>)+")
# Lists and quotes opened on one line, after its indent: "- - - item", "1. > - item".
_CHAINED_MARKS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)|>)[ \t]*")


def deepest_nesting(text, limit):
    """The first line nested deeper than `limit` (quotes, list indents, lists opened on the line), as (number, depth)."""
    for number, line in enumerate(text.splitlines(), 1):
        quotes = _QUOTE_MARKS.match(line)
        depth = quotes.group(0).count(">") if quotes else 0
        rest = line[quotes.end() :] if quotes else line
        indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip(" "))
        depth += indent // 4
        marks = [m.group(0)[0] for m in _chained(rest.lstrip())]
        # An item's own marker is not a level (its indented text is): "- - item" is nested once.
        depth += len(marks) - (1 if marks and marks[0] != ">" else 0)
        if depth > limit:
            return number, depth
    return None


def _chained(text):
    position = 0
    while match := _CHAINED_MARKS.match(text, position):
        if match.end() == position:
            return
        yield match
        position = match.end()


def metadata_line(path, key):
    """The line of a metadata key in a source file, or 1 (the metadata block) if absent."""
    with open(path, encoding="utf-8-sig") as source:
        keys, _ = metadata_block(source.read())
    return keys.get(key.lower(), 1)


def fragment_line(text, fragment):
    """The number of the first line where a fragment of source text stands, or 0."""
    position = text.find(fragment)
    return text.count("\n", 0, position) + 1 if position >= 0 else 0


def likely_typo(key, known):
    """The known key an unknown metadata key was probably meant to be, or None."""
    if key in known:
        return None
    matches = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return matches[0] if matches else None


# A link's address from metadata is written only when it is plainly a web (or mail) address:
# no other scheme (javascript:, data:, vbscript:), no spaces, quotes or angle brackets, which
# browsers would strip or read as the end of the address.
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#<>\"'`\\]+(?:[/?#][^\s<>\"'`\\]*)?", re.IGNORECASE)
_MAIL_ADDRESS = re.compile(r"mailto:[^\s<>\"'`\\@/]+@[^\s<>\"'`\\@/]+", re.IGNORECASE)


def address_problem(value, mailto=False):
    """What is wrong with a metadata value written as a link's address, or None if it is fine."""
    if _WEB_ADDRESS.fullmatch(value) or (mailto and _MAIL_ADDRESS.fullmatch(value)):
        return None
    allowed = "http:// and https:// addresses" + (" (or mailto:)" if mailto else "")
    return f'"{value}" is not a web address; only {allowed} are written as links'


def leaves_folder(value):
    """True when a metadata value used in an output path (Slug, Lang, Save_as, URL) climbs out of
    the folder it is put in, or starts at the root: "../../etc", "/tmp/x", "a\\..\\b"."""
    parts = str(value).replace("\\", "/").split("/")
    return str(value).startswith(("/", "\\")) or ".." in parts
