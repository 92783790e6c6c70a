"""Strict builds: any problem in the content fails the build, named by file and line.

Plain Pelican logs an error, drops the post and exits 0. Here every warning and
error of the build is collected, reported together sorted by file, and the run
ends with exit status 1, before anything is written where that is possible.
"""

import datetime
import hashlib
import logging
import os
import re
import shutil
import sys
from pathlib import Path

from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator
from pelican.readers import MarkdownReader

from .images import images_without_alt, source_lines
from .checks import (
    PELICAN_METADATA,
    country_code,
    country_suggestion,
    fragment_line,
    leaves_folder,
    likely_typo,
    metadata_block,
    metadata_line,
)
from .limits import DEFAULT_MAX_POST_BYTES
from .links import missing_targets
from .outputs import check_outputs, check_save_as
from .paths import check_content_folder, drop_unpublishable_links
from .problems import (
    BuildFailed,
    ProblemCollector,
    display_path,
    format_report,
    notice,
    problems_from_records,
    report,
    settings_error,
)
from .reader import CARRIED, StrictMarkdownReader
from .terms import check_term_links
from .unread import check_every_markdown_file_is_read
from .term_names import said_better_here, term_problems, term_uses

SETTING = "STRICT"
DEFAULTS = {"metadata": [], "future_dates": "warn", "max_nesting": 40, "max_post_bytes": DEFAULT_MAX_POST_BYTES}


def check_config(pelican):
    config = pelican.settings.get(SETTING, {})
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"strict: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    if not isinstance(config.get("metadata", []), list | tuple):
        settings_error(f"strict: {SETTING}['metadata'] must be a list of metadata keys")
    if config.get("future_dates", "warn") not in ("warn", "error"):
        settings_error(f'strict: {SETTING}["future_dates"] must be "warn" or "error"')
    limit = config.get("max_post_bytes", DEFAULT_MAX_POST_BYTES)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        settings_error(f"strict: {SETTING}['max_post_bytes'] must be a whole number of bytes, e.g. 12_000_000")


def _collector():
    return next((h for h in logging.getLogger().handlers if isinstance(h, ProblemCollector)), None)


def _attach_collector():
    if _collector() is None:
        logging.getLogger().addHandler(ProblemCollector())


# Attached as soon as Pelican loads this plugin, so that the errors of plugins that fail to
# load after it (Pelican logs those before `initialized`) fail the build too.
_attach_collector()


# Settings that change what a Markdown file reads as; the reader cache is kept per their values.
KEPT_CACHES = 3
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
READING_SETTINGS = ("MARKDOWN", "SOURCE_LANG", "STRICT", "DEFAULT_LANG", "FORMATTED_FIELDS", "TIMEZONE",
                    "DEFAULT_DATE", "SLUG_REGEX_SUBSTITUTIONS", "PATH")  # fmt: skip


def _plain(value):
    """A settings value as text that is the same from run to run (objects by their config)."""
    if hasattr(value, "getConfigs"):
        return f"{type(value).__name__}{sorted(value.getConfigs().items())!r}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_plain(v)}" for k, v in sorted(value.items(), key=lambda i: str(i[0]))) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_plain, value)) + "]"
    return repr(value)


def separate_caches(pelican):
    """Pelican's reader cache knows file dates, not settings or plugin code: a cache made under
    other settings or another version of the plugins would serve stale HTML. Keep one per both."""
    settings = pelican.settings
    fingerprint = hashlib.sha256()
    for key in READING_SETTINGS:
        fingerprint.update(f"{key}={_plain(settings.get(key))}\n".encode())
    for folder in settings.get("PLUGIN_PATHS", []):
        for path in sorted(Path(folder).rglob("*.py")):
            fingerprint.update(path.read_bytes())
    settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], fingerprint.hexdigest()[:16])
    _drop_old_caches(os.path.dirname(settings["CACHE_PATH"]), keep=KEPT_CACHES)


def _drop_old_caches(folder, keep):
    """Each change of plugin code starts a new cache (tens of MB for a large archive): keep the latest few."""
    def last_used(entry):
        return max((f.stat().st_mtime for f in os.scandir(entry.path)), default=entry.stat().st_mtime)

    caches = sorted((entry for entry in os.scandir(folder) if entry.is_dir() and _FINGERPRINT.fullmatch(entry.name)),
                    key=last_used, reverse=True) if os.path.isdir(folder) else []  # fmt: skip
    for entry in caches[keep:]:
        shutil.rmtree(entry.path, ignore_errors=True)


def start_collecting(pelican):
    check_config(pelican)
    separate_caches(pelican)
    if pelican.settings["PLUGINS"][:1] != [__name__]:
        settings_error(f"strict: put {__name__!r} first in PLUGINS, so that it sees every plugin load")
    _attach_collector()
    _collector().content_path = pelican.settings["PATH"]
    _collector().mute(logging.getLogger().handlers)
    logging.getLogger("pelican.urlwrappers").addFilter(said_better_here)
    # Pelican follows every symlink: one out of content/ or in a loop must stop it before it lists a file.
    if check_content_folder(pelican.settings):
        fail_on_problems()


def _detach(collector):
    collector.unmute()
    logging.getLogger().removeHandler(collector)


def fail_on_problems(_sender=None):
    collector = _collector()
    if collector is None:
        return
    problems = problems_from_records(collector.records, collector.content_path)
    if problems:
        _detach(collector)
        sys.stderr.write(format_report(problems) + "\n")
        raise BuildFailed()


def stop_collecting(pelican):
    fail_on_problems()
    collector = _collector()
    if collector:
        _detach(collector)


def use_strict_markdown_reader(readers):
    # Posts and pages are Markdown: another file among them is reported as not Markdown, and
    # only that (read as HTML or reStructuredText, it would also lack a title, a country, text).
    for extension in readers.reader_classes:
        if extension != "static":  # Pelican's reader of static files, not of posts
            readers.reader_classes[extension] = None
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = StrictMarkdownReader


def check_content(content):
    if not isinstance(content, Article | Page):
        return
    path = content.source_path
    with open(path, encoding="utf-8-sig") as source:
        text = source.read()
    declared, body_line = metadata_block(text)
    carried = content.metadata.get(CARRIED, ())
    for line, message, fix in carried:
        report(path, line, message, fix)
    known = PELICAN_METADATA | set(content.settings.get(SETTING, {}).get("metadata", []))
    for key, line in declared.items():
        typo_of = likely_typo(key, known)
        if typo_of:
            report(path, line, f'unknown metadata key "{key}"', f'did you mean "{typo_of.capitalize()}:"?')
    kind = "page" if isinstance(content, Page) else "post"
    if "title" not in declared:
        example = "About Tilmash" if kind == "page" else "Country: What bloggers say"
        report(path, 1, f"the {kind} has no title", f'add a line "Title: {example}" at the top')
    if isinstance(content, Article):
        _check_country(content, path, declared)
        _check_date(content, path, declared)
    _check_template(content, path, declared)
    _check_paths(content, path, declared)
    # A text with mistakes is not converted (the mistakes are carried): whether it has any is read from the file.
    body = "\n".join(text.splitlines()[body_line - 1 :]) if carried else content._content
    if not body or not body.strip():
        report(path, body_line, f"the {kind} has no text after its metadata", f"write the {kind} below the metadata, after one blank line")
    _check_links(content, path)
    _check_images(content, path)


def _check_images(content, path):
    sources = images_without_alt(content._content or "")
    if sources:
        with open(path, encoding="utf-8-sig") as source:
            lines = source_lines(source.read(), sources)
        for src, line in zip(sources, lines, strict=True):
            report(path, line, f"the image {src or '(no src)'} has no alt text",
                   'describe what it shows: ![a crowd on Ala-Too Square](…), or alt="…" in HTML')  # fmt: skip


def _check_country(article, path, declared):
    # A draft may wait for its country (an import can bring posts that name none); it is
    # reported, and the check becomes an error when the post is published.
    say = notice if article.status == "draft" else report
    if "category" not in declared:
        say(path, 1, "the post names no country", 'add a line "Category: <country>", e.g. "Category: Kazakhstan"')
    elif country_code(article.category.name) is None:
        say(
            path,
            declared["category"],
            f'Category "{article.category.name}" is not a country (categories are countries)',
            country_suggestion(article.category.name),
        )


def _check_template(content, path, declared):
    """`Template:` names the theme's template for its kind (article, page) or one of
    THEME_TEMPLATES_OVERRIDES; any other crashed the build, or looked outside the theme."""
    name = content.metadata.get("template")
    if name is None or "template" not in declared:
        return
    settings, own = content.settings, "article" if isinstance(content, Article) else "page"
    extensions = settings.get("TEMPLATE_EXTENSIONS", [".html"])
    added = [os.path.join(folder, name + extension) for folder in settings.get("THEME_TEMPLATES_OVERRIDES", [])
             for extension in extensions]  # fmt: skip
    if name != own and not (re.fullmatch(r"[\w-]+", name) and any(map(os.path.isfile, added))):
        report(path, declared["template"], f'Template "{name}" is not a template for this {own}',
               f'remove the line (the theme uses "{own}"), or add the template to THEME_TEMPLATES_OVERRIDES')  # fmt: skip


# Metadata that Pelican puts into output paths, as a post writes it.
# Save_as: is checked with every other output path (outputs.py), which also names what it would overwrite.
PATH_METADATA = {"slug": "Slug: a-name", "lang": "Lang: ru", "url": "URL: about/"}


def _check_paths(content, path, declared):
    """Files never leave the output folder; Pelican would skip the post naming no line."""
    for key, example in PATH_METADATA.items():
        value = content.metadata.get(key)
        if key in declared and isinstance(value, str) and leaves_folder(value):
            label = example.split(":")[0]
            report(path, declared[key], f'{label}: "{value}" would put the file outside the site',
                   f"write it without .. or a leading /, e.g. {example}")  # fmt: skip


def _check_date(article, path, declared):
    if not hasattr(article, "date"):
        # A Date: that cannot be read is reported by the reader, which leaves it out.
        if "date" not in declared and article.status != "draft":  # Pelican dates an undated draft later
            report(path, 1, "the post has no Date:", 'add a line "Date: 2024-03-05 09:30" (YYYY-MM-DD, the time '
                   'HH:MM optional) below the title; a draft may go without one')  # fmt: skip
        return
    now = datetime.datetime.now(article.date.tzinfo)
    if article.status == "published" and article.date > now:
        say = report if article.settings.get(SETTING, {}).get("future_dates") == "error" else notice
        say(path, declared.get("date", 1), f"the post is dated in the future ({article.date:%Y-%m-%d %H:%M}) but published",
            'correct the Date:, or set "Status: draft" until then')  # fmt: skip


def _check_links(content, path):
    found = missing_targets(content._content or "", path, content.settings["PATH"])
    if found:
        with open(path, encoding="utf-8-sig") as source:
            text = source.read()
        for fragment, message, target in found:
            report(path, fragment_line(text, fragment), message,
                   "correct the path: {filename}/{static} paths are relative to the post, or to content/ with a leading /",
                   covers=[target])  # fmt: skip


def check_sources_are_markdown(generators):
    """Posts and pages are Markdown: any other file among them would be skipped or misread."""
    settings = generators[0].settings
    root = settings["PATH"]
    static = [os.path.join(root, p) for p in settings.get("STATIC_PATHS", [])]
    folders = [os.path.join(root, p) for p in [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]]
    for folder in folders:
        for directory, subdirectories, files in os.walk(folder):
            subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
            if any(os.path.commonpath([directory, s]) == s for s in static if os.path.isdir(s)):
                continue
            for name in files:
                if name.startswith(".") or name.rsplit(".", 1)[-1] in MarkdownReader.file_extensions:
                    continue
                report(os.path.join(directory, name), 0, "this file is not Markdown; posts and pages are .md files",
                       "convert it to Markdown and name it .md, or move it to content/images/ if it is a file to publish")  # fmt: skip


def finish_reading(generators):
    """Last checks once everything is read, then fail before anything is written if need be.

    One handler, in this order: blinker calls the receivers of a signal in no set order.
    """
    check_sources_are_markdown(generators)
    check_every_markdown_file_is_read(generators)
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles is not None:
        check_term_links([c for g in generators for kind in CONTENT_LISTS for c in getattr(g, kind, [])], articles)
    check_outputs(generators)
    fail_on_problems()


# The lists of posts and pages that Pelican's generators keep.
CONTENT_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages",
                 "translations", "drafts_translations", "draft_translations", "hidden_translations")  # fmt: skip


def check_unique_slugs(generator):
    seen = {}
    for kind in CONTENT_LISTS:
        for content in getattr(generator, kind, []):
            seen.setdefault((content.slug, content.lang), set()).add(content.source_path)
    for (slug, lang), paths in seen.items():
        paths = sorted(paths)
        # Each pair once: a file is reported with the files before it.
        for number, path in enumerate(paths[1:], 1):
            others = ", ".join(display_path(p) for p in paths[:number])
            report(
                path,
                1,
                f'slug "{slug}" in language "{lang}" is also used by {others}',
                'give one of them another "Slug:", or a "Lang:" if it is a translation',
            )


def check_term_addresses(generator):
    """Each topic and author name makes its own page's address; see `terms.py`."""
    for path, key, message, fix in term_problems(term_uses(generator), generator.settings):
        report(path, metadata_line(path, key), message, fix)


def register():
    signals.initialized.connect(start_collecting)
    signals.readers_init.connect(use_strict_markdown_reader)
    signals.content_object_init.connect(check_content)
    signals.content_object_init.connect(check_save_as)
    signals.article_generator_finalized.connect(check_unique_slugs)
    signals.article_generator_finalized.connect(check_term_addresses)
    signals.page_generator_finalized.connect(check_unique_slugs)
    signals.page_generator_finalized.connect(drop_unpublishable_links)
    signals.all_generators_finalized.connect(finish_reading)
    signals.finalized.connect(stop_collecting)
