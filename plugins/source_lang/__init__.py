"""Source-language markers: `[text](url) [ru]` becomes a link with hreflang and a marker.

The Markdown extension in `extension.py` does the work; this plugin adds it to
Pelican's Markdown settings and gives each post its `source_languages`.
"""

import re

from pelican import signals
from pelican.contents import Article, Page
from strict.checks import metadata_block
from strict.problems import notice, settings_error

from .extension import NOTICES, SourceLangExtension
from .markers import read_marker

SETTING = "SOURCE_LANG"
DEFAULTS = {"legacy_markers": True, "hide_same_language": True, "format": "[{code}]"}
EXTENSION = "source_lang.extension"
_HREFLANG = re.compile(r'<a\b[^>]*\bhreflang="([^"]+)"')


def check_config(config):
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"source_lang: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    if "{code}" not in config.get("format", DEFAULTS["format"]):
        settings_error(f"source_lang: {SETTING}['format'] must contain {{code}}, e.g. \"[{{code}}]\"")


def add_extension(pelican):
    """Add the extension to a copy of MARKDOWN: Pelican copies settings shallowly."""
    settings = pelican.settings
    config = {**DEFAULTS, **settings.get(SETTING, {})}
    check_config(config)
    markdown = settings["MARKDOWN"]
    extension_configs = {
        name: options for name, options in markdown.get("extension_configs", {}).items() if name != EXTENSION
    }
    extensions = [e for e in markdown.get("extensions", []) if not isinstance(e, SourceLangExtension) and e != EXTENSION]
    extension = SourceLangExtension(
        lang=settings["DEFAULT_LANG"],
        legacy=config["legacy_markers"],
        hide_same_language=config["hide_same_language"],
        format=config["format"],
    )
    settings["MARKDOWN"] = {**markdown, "extension_configs": extension_configs, "extensions": [*extensions, extension]}


def source_languages(fragment):
    """The languages of the linked sources in an HTML fragment, in order, each once."""
    return list(dict.fromkeys(_HREFLANG.findall(fragment or "")))


def record_source_languages(content):
    if isinstance(content, Article | Page):
        content.source_languages = source_languages(content._content)


def fragment_lines(text, fragments, first_line=1):
    """The line of each fragment, in order, each found after the one before and from `first_line` on."""
    position = sum(len(line) for line in text.splitlines(keepends=True)[: first_line - 1])
    lines = []
    for fragment in fragments:
        found = text.find(fragment, position)
        lines.append(text.count("\n", 0, found) + 1 if found >= 0 else 0)
        position = found + len(fragment) if found >= 0 else position
    return lines


def report_notices(content):
    """Each bracket the extension left as text for being ambiguous ("(UK)", "[US]"), with file and line.

    The extension hands them on in the metadata, which Pelican's reader cache keeps with the
    HTML, so they are reported at every build, not only when the file is converted."""
    if not isinstance(content, Article | Page):
        return
    fragments = content.metadata.pop(NOTICES, None)
    vars(content).pop(NOTICES, None)
    if not fragments:
        return
    fragments = [fragments] if isinstance(fragments, str) else fragments
    with open(content.source_path, encoding="utf-8-sig") as source:
        text = source.read()
    for fragment, line in zip(fragments, fragment_lines(text, fragments, metadata_block(text)[1]), strict=True):
        _, problem = read_marker(fragment, 0, content.lang)
        notice(content.source_path, line, f"source_lang: {problem.message}", problem.fix)


def register():
    signals.initialized.connect(add_extension)
    signals.content_object_init.connect(record_source_languages)
    signals.content_object_init.connect(report_notices)
