"""Strict builds: any problem in the content fails the build, named by file and line.

Plain Pelican logs an error, drops the post and exits 0. Here every warning and
error of the build is collected, reported together sorted by file, and the run
ends with exit status 1, before anything is written where that is possible.
"""

import logging
import sys

from pelican import signals
from pelican.contents import Article, Page
from pelican.readers import MarkdownReader

from .checks import PELICAN_METADATA, country_code, country_suggestion, likely_typo, metadata_block
from .problems import (
    BuildFailed,
    ProblemCollector,
    display_path,
    format_report,
    problems_from_records,
    report,
)
from .reader import StrictMarkdownReader

SETTING = "STRICT"
DEFAULTS = {"metadata": []}


def check_config(pelican):
    config = pelican.settings.get(SETTING, {})
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"strict: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    if not isinstance(config.get("metadata", []), list | tuple):
        raise ValueError(f"strict: {SETTING}['metadata'] must be a list of metadata keys")


def start_collecting(pelican):
    check_config(pelican)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, ProblemCollector)]:
        root.removeHandler(handler)
    root.addHandler(ProblemCollector(pelican.settings["PATH"]))


def _collector():
    return next((h for h in logging.getLogger().handlers if isinstance(h, ProblemCollector)), None)


def fail_on_problems(_sender=None):
    collector = _collector()
    if collector is None:
        return
    problems = problems_from_records(collector.records, collector.content_path)
    if problems:
        logging.getLogger().removeHandler(collector)
        sys.stderr.write(format_report(problems) + "\n")
        raise BuildFailed()


def stop_collecting(pelican):
    fail_on_problems()
    collector = _collector()
    if collector:
        logging.getLogger().removeHandler(collector)


def use_strict_markdown_reader(readers):
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = StrictMarkdownReader


def check_content(content):
    if not isinstance(content, Article | Page):
        return
    path = content.source_path
    with open(path, encoding="utf-8-sig") as source:
        declared, body_line = metadata_block(source.read())
    known = PELICAN_METADATA | set(content.settings.get(SETTING, {}).get("metadata", []))
    for key, line in declared.items():
        typo_of = likely_typo(key, known)
        if typo_of:
            report(path, line, f'unknown metadata key "{key}"', f'did you mean "{typo_of.capitalize()}:"?')
    if "title" not in declared:
        report(path, 1, "the post has no title", 'add a line "Title: Country: What bloggers say" at the top')
    if isinstance(content, Article):
        _check_country(content, path, declared)
    if not content._content or not content._content.strip():
        report(path, body_line, "the post has no text after its metadata", "write the post below the metadata, after one blank line")


def _check_country(article, path, declared):
    if "category" not in declared:
        report(path, 1, "the post names no country", 'add a line "Category: <country>", e.g. "Category: Kazakhstan"')
    elif country_code(article.category.name) is None:
        report(
            path,
            declared["category"],
            f'Category "{article.category.name}" is not a country (categories are countries)',
            country_suggestion(article.category.name),
        )


def check_unique_slugs(generator):
    kinds = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages",
             "translations", "drafts_translations", "draft_translations", "hidden_translations")  # fmt: skip
    seen = {}
    for kind in kinds:
        for content in getattr(generator, kind, []):
            seen.setdefault((content.slug, content.lang), set()).add(content.source_path)
    for (slug, lang), paths in seen.items():
        for path in sorted(paths):
            others = ", ".join(display_path(p) for p in sorted(paths) if p != path)
            if others:
                report(
                    path,
                    1,
                    f'slug "{slug}" in language "{lang}" is also used by {others}',
                    'give one of them another "Slug:", or a "Lang:" if it is a translation',
                )


def register():
    signals.initialized.connect(start_collecting)
    signals.readers_init.connect(use_strict_markdown_reader)
    signals.content_object_init.connect(check_content)
    signals.article_generator_finalized.connect(check_unique_slugs)
    signals.page_generator_finalized.connect(check_unique_slugs)
    signals.all_generators_finalized.connect(fail_on_problems)
    signals.finalized.connect(stop_collecting)
