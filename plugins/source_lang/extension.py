"""Python-Markdown extension: `[text](url) [ru]` becomes a link with hreflang and a marker.

    >>> import markdown
    >>> markdown.markdown("[a letter](https://example.kz/1) [ru]", extensions=[SourceLangExtension()])

A mistyped marker raises MarkerError once the document is read. What stays text but is worth
a notice ("[US]", "(UK)") is listed in `md.source_lang_notices`, and its fragments in
`md.Meta["source_lang_notices"]`, which Pelican carries to the post's metadata.
"""

import html
import re

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from ui_strings import language_name

from .markers import MarkerError, read_marker

_CLOSING_A = re.compile(r"^\s*</a\s*>\s*$", re.IGNORECASE)
_OPENING_A = re.compile(r"^<a\b", re.IGNORECASE)
_QUOTE_LABEL = re.compile(r" ?\[[^\[\]\n]{2,20}\]:?\s*$")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
NOTICES = "source_lang_notices"


class SourceLangTreeprocessor(Treeprocessor):
    """Finds markers right after links, sets hreflang, and renders or hides each marker."""

    def __init__(self, md, config):
        super().__init__(md)
        self.config = config

    def run(self, root):
        self.lang = (getattr(self.md, "Meta", {}).get("lang") or [self.config["lang"]])[0]
        self.problems, self.notices = [], []
        # Markers in headings are put in the stash only after `toc` has made ids and the table of contents.
        self.in_heading, self.deferred = False, []
        in_headings = {element for heading in root.iter() if heading.tag in _HEADINGS for element in heading.iter()}
        for parent in root.iter():
            if parent.tag in ("code", "pre"):
                continue
            self.in_heading = parent in in_headings
            if parent.text:
                parent.text = self._after_raw_links(parent.text)
            for child in parent:
                if child.tail:
                    if child.tag == "a":
                        child.tail = self._after_link(child, child.tail)
                    child.tail = self._after_raw_links(child.tail)
        self.in_heading = False
        self._label_quotes(root)
        if self.problems:
            raise MarkerError(self.problems)
        self.md.source_lang_notices = self.notices
        if self.notices and isinstance(getattr(self.md, "Meta", None), dict):
            self.md.Meta[NOTICES] = [notice.fragment for notice in self.notices]

    def _keep(self, problem):
        if problem:
            (self.problems if problem.fails_build else self.notices).append(problem)

    def _after_link(self, link, text):
        """Handle a marker at the start of the text that follows a Markdown link."""
        marker, problem = read_marker(text, 0, self.lang, self.config["legacy"])
        self._keep(problem)
        if not marker:
            return text
        link.set("hreflang", link.get("hreflang") or marker.tag)
        return text[: marker.start] + self._render(marker) + text[marker.end :]

    def _label_quotes(self, root):
        """A marker that ends the paragraph before a quote labels the quote: "Nurlan said [ru]:"."""
        for parent in root.iter():
            children = list(parent)
            for paragraph, following in zip(children, children[1:]):
                if paragraph.tag != "p" or following.tag != "blockquote":
                    continue
                holder, attribute = (paragraph[-1], "tail") if len(paragraph) else (paragraph, "text")
                text = getattr(holder, attribute) or ""
                label = _QUOTE_LABEL.search(text)
                if label:
                    marker, _ = read_marker(text, label.start(), self.lang, self.config["legacy"])
                    if marker:
                        setattr(holder, attribute, text[: marker.start] + self._render(marker) + text[marker.end :])

    def _after_raw_links(self, text):
        """Handle markers after raw-HTML links, which reach us as stash placeholders."""
        stash = self.md.htmlStash.rawHtmlBlocks
        pieces, position = [], 0
        for match in HTML_PLACEHOLDER_RE.finditer(text):
            index = int(match[1])
            if index >= len(stash) or not _CLOSING_A.match(str(stash[index])):
                continue
            marker, problem = read_marker(text, match.end(), self.lang, self.config["legacy"])
            self._keep(problem)
            if marker and self._set_raw_hreflang(stash, index, marker.tag):
                pieces += [text[position : marker.start], self._render(marker)]
                position = marker.end
        return "".join(pieces) + text[position:] if pieces else text

    @staticmethod
    def _set_raw_hreflang(stash, closing, tag):
        for index in range(closing - 1, -1, -1):
            opening = str(stash[index])
            if _OPENING_A.match(opening):
                if "hreflang" not in opening.lower():
                    stash[index] = re.sub(r"\s*/?>$", f' hreflang="{tag}">', opening, count=1)
                return True
            if "</a" in opening.lower():
                return False
        return False

    def _render(self, marker):
        """The marker as HTML in the stash, or nothing when it is in the page's language."""
        if self.config["hide_same_language"] and {t.split("-")[0] for t in marker.tags} == {self.lang.split("-")[0]}:
            return ""
        name = ", ".join(language_name(tag, self.lang) for tag in marker.tags)
        visible = self.config["format"].format(code=", ".join(marker.tags), name=name)
        markup = (
            f'<span class="source-lang" title="{html.escape(name)}">'
            f'<span aria-hidden="true">{html.escape(visible)}</span>'
            f'<span class="visually-hidden">({html.escape(name)})</span></span>'
        )
        if self.in_heading:
            # Empty while `toc` reads the heading, so that neither its id nor its entry holds the marker.
            self.deferred.append((len(self.md.htmlStash.rawHtmlBlocks), markup))
            markup = ""
        return marker.space + self.md.htmlStash.store(markup)


class HeadingMarkersTreeprocessor(Treeprocessor):
    """Puts the markers of headings into the stash, after `toc` (priority 5) has read the headings."""

    def __init__(self, md, markers):
        super().__init__(md)
        self.markers = markers

    def run(self, root):
        for index, markup in self.markers.deferred:
            self.md.htmlStash.rawHtmlBlocks[index] = markup


class SourceLangExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "lang": ["en", "The page's language when the document's metadata names none"],
            "legacy": [True, "Also read old spellings: (RU), (RUS), [rus], [eng]"],
            "hide_same_language": [True, "Hide markers in the page's own language (the link keeps hreflang)"],
            "format": ["[{code}]", "The marker's visible text; {code} and {name} are replaced"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # After attr_list (8), which takes `{: ...}` off a link's tail, and before
        # unescape (0), so that an escaped \[ru\] is still a placeholder here.
        processor = SourceLangTreeprocessor(md, self.getConfigs())
        md.treeprocessors.register(processor, "source_lang", 7)
        md.treeprocessors.register(HeadingMarkersTreeprocessor(md, processor), "source_lang_headings", 4)
        md.registerExtension(self)


def makeExtension(**kwargs):  # noqa: N802  (the name Python-Markdown looks for)
    return SourceLangExtension(**kwargs)
