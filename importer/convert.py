"""A WordPress post's HTML as Tilmash Markdown, with its language markers restored."""

import re
from dataclasses import dataclass, field

from markdownify import markdownify
from source_lang.markers import read_marker

_BLOCK = re.compile(r"^\s*<(p|div|blockquote|ul|ol|h[1-6]|table|pre|figure|hr|iframe)\b", re.I)
# An inline Markdown link as markdownify writes it: [text](url "title").
_LINK = re.compile(r'\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\((?:[^()\s]|\([^()\s]*\))*(?: "[^"\n]*")?\)')
_QUOTE_LABEL = re.compile(r"(?P<before>\S) ?(?P<marker>[\[(][A-Za-z]{2,3}(?:, ?[A-Za-z]{2,3})*[\])])(?P<colon>:?)\s*$")
_MARKER_SHAPED = re.compile(r"[\[(][A-Za-z]{2,3}(?:, ?[A-Za-z]{2,3})*[\])]")


@dataclass
class Restored:
    markdown: str
    forms: dict = field(default_factory=dict)
    ambiguous: list = field(default_factory=list)  # (line, text, why)


def autop(content):
    """WordPress keeps paragraphs as blank lines and adds <p> only when it shows a post."""
    blocks = re.split(r"\n\s*\n", content.strip())
    return "\n".join(block if _BLOCK.match(block) else f"<p>{block}</p>" for block in blocks if block.strip())


def to_markdown(content):
    return markdownify(autop(content), heading_style="ATX", bullets="-", escape_misc=False).strip() + "\n"


def _form(raw, lead):
    if "," in raw:
        return "several languages"
    if lead:
        return "after punctuation or a gloss"
    if raw.startswith("(") or raw[1:-1] != raw[1:-1].lower() or len(raw) > 4:
        return "old spelling"
    return "after a link"


def restore_markers(markdown, lang):
    """Normalise every marker after a link to `[code]`; leave and report what is ambiguous."""
    result = Restored(markdown)
    out, position = [], 0
    for link in _LINK.finditer(markdown):
        if link.start() < position:
            continue
        marker, problem = read_marker(markdown, link.end(), lang)
        if marker:
            lead = markdown[link.end() : marker.start]
            raw = markdown[marker.start : marker.end].strip()
            follows = markdown[marker.end : marker.end + 1]
            canonical = f"[{', '.join(marker.tags)}]" + (" " if follows in "([" and follows else "")
            out += [markdown[position : link.end()], lead, " ", canonical]
            position = marker.end
            form = _form(raw, lead.strip())
            result.forms[form] = result.forms.get(form, 0) + 1
        elif problem:
            line = markdown.count("\n", 0, link.end()) + 1
            result.ambiguous.append((line, problem.fragment, problem.message))
            shaped = _MARKER_SHAPED.search(markdown, link.end(), link.end() + 60)
            if shaped:
                # Escaped, it stays text: the build does not take it for a mistyped marker.
                out += [markdown[position : shaped.start()], "\\" + shaped.group()[:-1] + "\\" + shaped.group()[-1]]
                position = shaped.end()
    out.append(markdown[position:])
    result.markdown = _label_quotes("".join(out), lang, result)
    return result


def _label_quotes(markdown, lang, result):
    """ "Nurlan said (RU):" before a quote keeps its marker, normalised to "[ru]:"."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines[:-2]):
        if not (lines[index + 1] == "" and lines[index + 2].startswith(">")):
            continue
        label = _QUOTE_LABEL.search(line)
        if not label or line[: label.start("marker")].rstrip().endswith(")"):
            continue  # a marker after a link, already restored
        marker, _ = read_marker(line, label.start("marker") - (1 if line[label.start("marker") - 1] == " " else 0), lang)
        if marker:
            lines[index] = line[: marker.start] + f" [{', '.join(marker.tags)}]" + label["colon"]
            result.forms["labels a quote"] = result.forms.get("labels a quote", 0) + 1
    return "\n".join(lines)
