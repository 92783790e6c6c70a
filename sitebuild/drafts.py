"""Drafts: previewed on the editor's machine, never in a site that leaves it.

A local build (`invoke build`, `invoke livereload`) writes each draft under `drafts/`, marked
with `DRAFT_MARKER` and `noindex` by the theme. A build that is published or handed out
(`publishconf.py`, `invoke snapshot`) writes none: Pelican writes no page whose save-as
setting is empty. `refusal` is the last check before a site is sent anywhere.
"""

import os
from dataclasses import dataclass
from pathlib import Path

# What the theme puts in the <head> of a draft's page (theme/templates/base.html).
DRAFT_MARKER = b'<meta name="tilmash-status" content="draft">'
# Where Pelican writes drafts; with these empty it writes none.
NO_DRAFT_PAGES = {"DRAFT_SAVE_AS": "", "DRAFT_LANG_SAVE_AS": "", "DRAFT_PAGE_SAVE_AS": "", "DRAFT_PAGE_LANG_SAVE_AS": ""}
# The marker stands near the top of the <head>; reading this much of each page finds it.
_HEAD_BYTES = 4096


def no_draft_pages_args():
    """Pelican's command-line arguments that write no draft (one -e: a second would replace the first)."""
    return ("-e", *(f'{key}=""' for key in NO_DRAFT_PAGES))


def draft_pages(site):
    """The pages of a built site (paths relative to it, sorted) that are drafts, or in its drafts/ folder."""
    site = Path(site)
    found = []
    for page in site.rglob("*.html"):
        relative = page.relative_to(site)
        if relative.parts[0] == "drafts" or _is_marked(page):
            found.append(relative.as_posix())
    return sorted(found)


def _is_marked(page):
    with open(page, "rb") as source:
        return DRAFT_MARKER in source.read(_HEAD_BYTES)


def refusal(site):
    """Why a built site must not be published because it holds drafts, or None."""
    found = draft_pages(site)
    if not found:
        return None
    shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    return (f"the site holds {len(found)} draft page(s) ({shown}); drafts are never published. "
            "Build with publishconf.py (it writes no drafts), or set Status: published on a post that is ready")  # fmt: skip


@dataclass(frozen=True)
class Draft:
    path: str
    title: str
    url: str


def drafts_in(settings):
    """Every draft among the posts and pages of a site's settings, by file."""
    from pelican.readers import MarkdownReader  # noqa: PLC0415
    from strict.checks import metadata_values  # noqa: PLC0415

    root = Path(settings["PATH"])
    page_folders = [root / folder for folder in settings["PAGE_PATHS"]]
    found = []
    for folders, is_page in ((settings["ARTICLE_PATHS"], False), (settings["PAGE_PATHS"], True)):
        for folder in folders:
            for path in sorted((root / folder).rglob("*")):
                relative = path.relative_to(root)
                if (path.suffix[1:] not in MarkdownReader.file_extensions or not path.is_file()
                        or any(part.startswith(".") for part in relative.parts)
                        or (not is_page and any(path.is_relative_to(f) for f in page_folders))):  # fmt: skip
                    continue
                metadata = metadata_values(path.read_text(encoding="utf-8-sig", errors="replace"))
                if is_draft(metadata, settings):
                    found.append(draft_of(path, metadata, settings, is_page))
    return found


def is_draft(metadata, settings):
    status = metadata.get("status") or settings.get("DEFAULT_METADATA", {}).get("status", "")
    return str(status).strip().lower() == "draft"


def draft_of(path, metadata, settings, is_page):
    """A draft's file, title and address, as Pelican makes its address from these settings and metadata."""
    from pelican.contents import Article, Page  # noqa: PLC0415 - only the tasks that list drafts pay for Pelican
    from pelican.readers import BaseReader  # noqa: PLC0415

    reader = BaseReader(settings)
    processed = {}
    for key, value in metadata.items():
        try:
            processed[key] = reader.process_metadata(key, value)
        except Exception:  # noqa: BLE001 - a value the build reports (a bad date); the address may not need it
            continue
    processed["status"] = "draft"
    content = (Page if is_page else Article)("", processed, settings=settings, source_path=str(path))
    title = metadata.get("title", "")
    try:
        url = content.url if getattr(content, "slug", None) else ""
    except (AttributeError, KeyError, ValueError):  # an address made of a value the draft lacks
        url = ""
    return Draft(os.path.relpath(path), title, url)
