"""Where each post and page is written: inside the output folder, as an HTML page, over no other file.

A `Save_as:` is written as given: `theme/js/comments.js` would replace the comment loader
with a page, `_headers` the host's security headers, `../x.html` a file outside the site.
Everything here is known once the content is read, so it fails the build before writing.
"""

import os
import posixpath
from collections import defaultdict

from pelican.contents import Article, Page

from .checks import metadata_line
from .problems import display_path, report

# The longest file name Linux file systems take, in bytes.
NAME_MAX = 255
CONTENT_KINDS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages", "translations",
                 "drafts_translations", "draft_translations", "hidden_translations")  # fmt: skip
SAVE_AS_FIX = 'remove the "Save_as:" line, or write the page to a path of its own ending in .html, e.g. about/index.html'


def save_as_problem(save_as):
    """(message, fix) for an output path (site-relative) that cannot be written; None if it can."""
    if not save_as:
        return None
    path = posixpath.normpath(save_as.replace("\\", "/"))
    if save_as.startswith(("/", "\\")) or path == ".." or path.startswith("../"):
        return f'it would be written to "{save_as}", outside the site\'s folder', SAVE_AS_FIX
    part = next((part for part in path.split("/") if len(part.encode()) > NAME_MAX), None)
    if part:
        return (f"its address has a part of {len(part.encode()):,} bytes ({part[:20]}…); file names stop at {NAME_MAX}",
                'give the post a shorter "Slug:" (or a shorter title)')  # fmt: skip
    return None


def collisions(claims):
    """{output path: sources} for each path that more than one source is to be written to.

    `claims` is an iterable of (output path, source) pairs; paths are compared normalised.
    """
    by_path = defaultdict(list)
    for path, source in claims:
        sources = by_path[posixpath.normpath(path)]
        if source not in sources:
            sources.append(source)
    return {path: sources for path, sources in by_path.items() if len(sources) > 1}


def site_files(settings):
    """(output path, what writes it) for the theme's files and the site's own list pages, in every language."""
    theme_dir = settings.get("THEME_STATIC_DIR", "theme")
    for static in settings.get("THEME_STATIC_PATHS", ["static"]):
        folder = os.path.join(settings["THEME"], static)
        for directory, _, files in os.walk(folder):
            for name in files:
                relative = os.path.relpath(os.path.join(directory, name), folder).replace(os.sep, "/")
                yield posixpath.join(theme_dir, relative), f"the theme's file {static}/{relative}"
    languages = settings.get("LANGUAGES") or {settings["DEFAULT_LANG"]: {}}
    for lang in languages:
        start = "" if lang == settings["DEFAULT_LANG"] else f"{lang}/"
        for name in settings["DIRECT_TEMPLATES"]:
            save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
            if save_as:
                yield start + save_as, f'the site\'s "{name}" page'


def check_save_as(content):
    """Report a post or page whose output path cannot be written, as soon as it is read.

    Pelican drops a post that would be written outside the output folder with a warning
    that names no line and no fix; this problem replaces it.
    """
    if not isinstance(content, Article | Page):
        return
    wrong = save_as_problem(content.save_as)
    if wrong:
        key = "save_as" if "save_as" in content.metadata else ("slug" if "slug" in content.metadata else "title")
        report(content.source_path, metadata_line(content.source_path, key), *wrong)


def _contents(generators):
    for generator in generators:
        for kind in CONTENT_KINDS:
            yield from getattr(generator, kind, [])


def check_outputs(generators):
    """Report every post whose output path is outside the site, not a page, too long, or also another file's."""
    settings = generators[0].settings
    contents = list(_contents(generators))
    claims = list(site_files(settings))
    for static in (static for generator in generators for static in getattr(generator, "staticfiles", [])):
        # get_url_setting, not .save_as: reading save_as would stop an {attach} link from moving the file.
        save_as = static.get_url_setting("save_as")
        wrong = save_as_problem(save_as)
        if wrong:  # the links that lead to such a file are refused with their post; this is the last guard
            report(static.source_path, 0, wrong[0], "move the file into content/images/ and link it from there")
        claims.append((save_as, display_path(static.source_path)))
    # A post whose own path cannot be written was reported as it was read (check_save_as).
    claims += [(c.save_as, display_path(c.source_path)) for c in contents if c.save_as and not save_as_problem(c.save_as)]
    clashes = collisions(claims)
    # Posts that share a slug are the slug check's; here only the paths a Save_as: chose.
    for content in contents:
        save_as = content.save_as
        if "save_as" not in content.metadata or not save_as or save_as_problem(save_as):
            continue
        line = metadata_line(content.source_path, "save_as")
        others = [s for s in clashes.get(posixpath.normpath(save_as), []) if s != display_path(content.source_path)]
        if others:
            report(content.source_path, line, f'"Save_as: {save_as}" is also where {" and ".join(others)} is written', SAVE_AS_FIX)
        elif not save_as.endswith(".html"):
            # The host serves it by its name: a page saved as _headers or a .js file replaces what that file does.
            report(content.source_path, line, f'"Save_as: {save_as}" would write the page to a file that is not a page', SAVE_AS_FIX)
