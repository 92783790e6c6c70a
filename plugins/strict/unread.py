"""Markdown files under content/ that Pelican does not read as posts or pages.

Pelican reads posts from `ARTICLE_PATHS` and pages from `PAGE_PATHS` and passes over
everything else without a word: a finished post saved in `content/drafts/` would never be
published, and one saved among the images would be copied to the site as it is.
"""

import fnmatch
import os

from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader

from .problems import report


def check_every_markdown_file_is_read(generators):
    """A Markdown file under content/ is a post, a page, or a problem: never left out without a word."""
    settings = generators[0].settings
    read = {os.path.join(g.path, name) for g in generators if isinstance(g, ArticlesGenerator | PagesGenerator)
            for name in _sources_of(g)}  # fmt: skip
    # Files a plugin reads itself (plugins/people's profiles) say so in the context.
    read |= set(generators[0].context.get("OTHER_SOURCES", []))
    for path in unread_markdown(settings["PATH"], read, MarkdownReader.file_extensions, settings["IGNORE_FILES"]):
        report(path, 0, "this Markdown file is not where posts and pages are read from, so it would not be published",
               where_posts_go(settings["PATH"], settings["ARTICLE_PATHS"], settings["PAGE_PATHS"],
                              settings.get("PEOPLE", {}).get("path")))  # fmt: skip


def _sources_of(generator):
    """The files a generator reads, found as Pelican's generate_context finds them."""
    kind = "ARTICLE" if isinstance(generator, ArticlesGenerator) else "PAGE"
    return generator.get_files(generator.settings[f"{kind}_PATHS"], exclude=generator.settings[f"{kind}_EXCLUDES"])


def unread_markdown(content_root, read, extensions, ignore_patterns):
    """Absolute paths, sorted, of the Markdown files under `content_root` that are not in `read`.

    `read`: the absolute paths Pelican reads as posts or pages. Hidden files and folders, and
    names that match `ignore_patterns` (Pelican's IGNORE_FILES), are no content.
    """
    read = {os.path.normpath(path) for path in read}
    suffixes = tuple(f".{extension}" for extension in extensions)
    found = []
    for directory, subdirectories, files in os.walk(content_root):
        subdirectories[:] = [d for d in subdirectories if not _ignored(d, ignore_patterns)]
        for name in files:
            path = os.path.normpath(os.path.join(directory, name))
            if name.endswith(suffixes) and not _ignored(name, ignore_patterns) and path not in read:
                found.append(path)
    return sorted(found)


def _ignored(name, patterns):
    return name.startswith(".") or any(fnmatch.fnmatch(name, pattern.removeprefix("**/")) for pattern in patterns)


def where_posts_go(content_root, article_paths, page_paths, profiles_path=None):
    """The fix for a Markdown file in the wrong place: the folders that hold posts, pages and profiles."""
    shown = os.path.relpath(content_root)

    def folders(paths):
        return " or ".join(f"{shown}/{path}/" for path in paths)

    return (f"move it into {folders(article_paths)} (or a folder in it) if it is a post (with Status: draft until it is ready), "
            f"or into {folders(page_paths)} if it is a page"
            + (f", or into {shown}/{profiles_path}/ if it is an author's or translator's profile" if profiles_path else ""))  # fmt: skip
