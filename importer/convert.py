"""A WordPress post's HTML as Tilmash Markdown, with its language markers restored."""

import re
from dataclasses import dataclass, field

from markdownify import MarkdownConverter, abstract_inline_conversion
from source_lang.markers import read_marker

from .shortcodes import Finding

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


# Kept as the tag: the site's Markdown has no strikethrough, underline, sub- or superscript.
KEPT_INLINE = ("s", "del", "u", "sub", "sup", "ins", "mark")
# Global Voices marks a quote translated by the author with this class; the theme labels it.
TRANSLATED = "translation"


def _keep(tag):
    return abstract_inline_conversion(lambda self: f"<{tag}>")


class _WordPressConverter(MarkdownConverter):
    """markdownify, keeping what the site's Markdown cannot say and reporting what it leaves out."""

    def __init__(self, findings, **options):
        super().__init__(**options)
        self.findings = findings

    def convert_figure(self, el, text, parent_tags):
        # Made by importer.shortcodes: figures and embeds stay HTML (one line, so one raw block).
        return "\n\n" + " ".join(str(el).split()) + "\n\n"

    def convert_div(self, el, text, parent_tags):
        if TRANSLATED in el.get("class", []) and "_inline" not in parent_tags:
            return f'\n\n<div class="{TRANSLATED}" markdown="1">\n\n{text.strip()}\n\n</div>\n\n'
        return super().convert_div(el, text, parent_tags)

    def convert_span(self, el, text, parent_tags):
        if TRANSLATED in el.get("class", []) and text.strip():
            return f'<span class="{TRANSLATED}">{text}</span>'
        return text

    def convert_blockquote(self, el, text, parent_tags):
        converted = super().convert_blockquote(el, text, parent_tags)
        previous = el.find_previous_sibling(True)
        if previous is not None and previous.name == "blockquote" and "_inline" not in parent_tags:
            # Two quotes in a row stay two: in Markdown a blank line alone would merge them.
            return "\n\n<!-- -->\n" + converted
        return converted

    def convert_script(self, el, text, parent_tags):
        self._left_out(el, "a script (the site runs none of a post's scripts)")
        return ""

    def convert_style(self, el, text, parent_tags):
        self._left_out(el, "a <style> element")
        return ""

    def convert_iframe(self, el, text, parent_tags):
        if "figure" in parent_tags:  # an embed importer.shortcodes made
            return ""
        self._left_out(el, "an <iframe> with no address")
        return ""

    def _left_out(self, el, what):
        # Its line is that of the text just before it, when there is some.
        before = el.find_previous_sibling(True)
        words = before.get_text(" ", strip=True).split() if before is not None else []
        needle = " ".join(words[-3:])
        self.findings.append(Finding("removed", needle, f"{what} was left out: {' '.join(str(el).split())[:80]}"))

    convert_s, convert_del, convert_u, convert_sub, convert_sup, convert_ins, convert_mark = map(_keep, KEPT_INLINE)


def to_markdown(content, findings=None):
    """A post's HTML (as WordPress stores it, paragraphs as blank lines) as Markdown."""
    converter = _WordPressConverter([] if findings is None else findings, heading_style="ATX", bullets="-",
                                    escape_misc=False)  # fmt: skip
    return re.sub(r"\n{3,}", "\n\n", converter.convert(autop(content)).strip()) + "\n"


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
