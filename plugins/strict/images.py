"""Images without alt text: each one, where it stands in its source file."""

import html
import re

_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""\s([\w:-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")


def images_without_alt(fragment):
    """The src of every <img> in the HTML whose alt is missing or blank, in order."""
    found = []
    for tag in _IMG.findall(fragment):
        attributes = {m[1].lower(): html.unescape((m[2] or "").strip("\"'")) for m in _ATTRIBUTE.finditer(tag[4:])}
        if not attributes.get("alt", "").strip():
            found.append(attributes.get("src", ""))
    return found


def source_lines(text, sources):
    """The line of each src in the source text, the same address found again after its last place; 0 if absent."""
    lines, after = [], {}
    for src in sources:
        start = after.get(src, 0)
        position = text.find(src, start) if src else -1
        if position < 0 and src:
            position = text.find(html.escape(src), start)
        after[src] = position + 1 if position >= 0 else start
        lines.append(text.count("\n", 0, position) + 1 if position >= 0 else 0)
    return lines
