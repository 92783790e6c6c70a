"""Write the posts of a WordPress export as Markdown files, idempotently and resumably, with a report."""

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree
from markupsafe import Markup
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from comments import thread_path

from .convert import restore_markers, to_markdown
from .originals import find_original
from .report import Report
from .shortcodes import Converter
from .state import STATE, digest, load_state, originals_by_address, save_state, write_atomically
from .taxonomy import classify
from .wxr import ExportError, items, open_export

__all__ = ["ExportError", "Report", "import_export"]

DRAFT_STATUSES = {"draft", "pending", "private", "future"}
# How often the state is saved during an import: a run cut short loses at most this much work.
SAVE_EVERY_SECONDS = 2.0


def _title_from(markdown):
    words = re.sub(r"[#>*_\[\]()]|https?://\S+", " ", markdown).split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


@dataclass
class Rendered:
    slug: str
    text: str
    body_line: int  # the file's line where the Markdown body starts
    draft: bool
    countries: list
    decisions: list
    restored: object
    findings: list  # (kind, line in the file or 0, what)
    notes: list


@dataclass
class Edition:
    """What every post of one import shares: its language, the site's, and where originals are."""

    lang: str
    default_lang: str
    embed_hosts: tuple
    attachments: dict
    originals: dict  # address_key -> state entry of a default-language post


def _line_of(markdown, needle):
    position = markdown.find(needle) if needle else -1
    return markdown.count("\n", 0, position) + 1 if position >= 0 else 0


def render(post, edition):
    """A post's Markdown file, and what the report should say about it."""
    lang = edition.lang
    terms = classify(post.categories, post.tags, title=post.title, text=post.content)
    decisions = list(terms.decisions)
    own = [code for code in terms.languages if code == lang]
    if own:  # "English" on an English site says nothing about the post's sources
        terms.languages = [code for code in terms.languages if code != lang]
        decisions = [d for d in decisions if not d.endswith(f"→ source-language hint {lang}")]
        decisions.append(f"language category {own[0]} → no source-language hint (the site's own language)")
    converter = Converter(edition.attachments, edition.embed_hosts, post.parent_attachments)
    found = []
    markdown = to_markdown(converter.convert(post.content), found)
    restored = restore_markers(markdown, lang)
    findings = [(f.kind, _line_of(restored.markdown, f.needle), f.what) for f in converter.findings + found]
    notes = []
    title = post.title
    if not title:
        title = _title_from(restored.markdown)
        notes.append(f"post {post.wp_id} has no title; it is now {title!r}")
    countries = terms.countries
    translation, about_header = {}, []  # findings about the metadata: (kind, the key of their line, what)
    if lang != edition.default_lang:
        original, url, how = find_original(post.content, edition.originals)
        if original:
            translation = {"Translation-of": original["slug"], "Translator": post.author, "author": original.get("author")}
            countries = countries or original.get("countries", [])
            about_header = [("translations", "Translation-of", f"translates {original['file']} ({url}), found by {how}")]
        else:
            about_header = [("translations unmatched", "Lang", f"no original found: {how}{f' ({url})' if url else ''}; "
                             "imported as a post of its own; add Translation-of: and Translator: by hand if it is a translation")]  # fmt: skip
    draft = post.status in DRAFT_STATUSES
    if not countries:
        draft = True
        notes.append(f"post {post.wp_id} ({title!r}) names no country; it is kept as a draft until it has one")
        about_header.append(("countries not recognised", "Status", f"no country among its categories {post.categories}"))
    slug = safe_slug(post.slug, title)
    author = translation.pop("author", "") or post.author
    fields = [("Title", title), ("Date", post.date[:16]), ("Category", countries[0] if countries else ""),
              ("Countries", ", ".join(countries) if len(countries) > 1 else ""),
              ("Regions", ", ".join(terms.regions)),
              ("Tags", ", ".join(terms.topics)), ("Author", author), ("Slug", slug),
              ("Lang", lang if lang != edition.default_lang else ""), *translation.items(), ("Type", terms.post_type),
              ("Source-languages", ", ".join(terms.languages)), ("Status", "draft" if draft else ""),
              ("Summary", " ".join(Markup(post.excerpt).striptags().split()))]  # fmt: skip
    # One line each, whatever the export holds: a newline in a title must not start a metadata line.
    header = "".join(f"{key}: {' '.join(str(value).split())}\n" for key, value in fields if str(value).strip())
    body_line = header.count("\n") + 1
    findings = [(kind, body_line + line if line else 0, what) for kind, line, what in findings]
    keys = [line.split(":", 1)[0] for line in header.splitlines()]
    findings += [(kind, keys.index(key) + 1, what) for kind, key, what in about_header]
    return Rendered(slug, header + "\n" + restored.markdown, body_line, draft, countries, decisions, restored,
                    findings, notes)  # fmt: skip


def safe_slug(slug, title):
    """WordPress's slug (percent-encoded for non-Latin ones) when it is one; else one made from it or the title.

    The slug names the file: from an untrusted export, it must never hold a path.
    """
    slug = unquote(slug or "").strip()
    if re.fullmatch(r"[\w-]+", slug) and not slug.startswith("-"):
        return slug
    return slugify(slug or title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]) or "post"


def _progress(done, total):
    on_terminal = sys.stderr.isatty()
    if not on_terminal and done != total and done % max(1, total // 10):
        return  # in a log, a line every tenth
    end = "\n" if done == total or not on_terminal else ""
    sys.stderr.write(f"\rimport-wordpress: {done}/{total} posts [{'#' * (30 * done // total):<30}]{end}")
    sys.stderr.flush()


def import_export(export, folder, default_lang="en", language=None, isso_export=None, embed_hosts=(),
                  progress=_progress):  # fmt: skip
    """Import every post of `export` into `folder` (a language edition's into `folder/<lang>/`); returns the report."""
    wxr = open_export(export)
    lang = language or wxr.language
    folder = Path(folder)
    target = folder if lang == default_lang else folder / lang
    target.mkdir(parents=True, exist_ok=True)
    for partial in [*folder.glob(".*.partial"), *target.glob(".*.partial")]:
        partial.unlink()  # left by an import that was killed while writing
    state_file = folder / STATE
    state = load_state(state_file)
    originals = originals_by_address(state, default_lang)
    edition = Edition(lang, default_lang, tuple(embed_hosts), wxr.attachments, originals)
    report = Report(version=wxr.version, total=wxr.post_count)
    saved, slugs, unmapped = time.monotonic(), {}, {}
    for done, post in enumerate(wxr.posts(), start=1):
        _import_post(post, edition, target, folder, state, report)
        slugs[post.wp_id] = state.get(_state_key(post, edition), {}).get("slug", post.slug)
        if post.login and post.login not in wxr.authors:
            unmapped[post.login] = unmapped.get(post.login, 0) + 1
        if time.monotonic() - saved > SAVE_EVERY_SECONDS:
            save_state(state_file, state)
            saved = time.monotonic()
        if progress and (done == wxr.post_count or done % max(1, wxr.post_count // 100) == 0):
            progress(done, wxr.post_count)
    save_state(state_file, state)
    for login, count in sorted(unmapped.items()):
        report.add("authors unmapped", "", f"{login!r} ({count} posts) has no display name in this export"
                   + (" (WXR 1.0 has no author list)" if wxr.version == "1.0" else "")
                   + f"; its posts say Author: {login}; correct it in those files")  # fmt: skip
    if isso_export:
        lang = None if edition.lang == edition.default_lang else edition.lang
        threads = {wp_id: thread_path(slug, lang) for wp_id, slug in slugs.items()}
        write_comments_for_isso(export, wxr.wp, threads, isso_export)
        report.notes.append(f"comments written to {isso_export} for `isso import`; none appear in pages or feeds")
    return report


def _state_key(post, edition):
    return post.wp_id if edition.lang == edition.default_lang else f"{edition.lang}/{post.wp_id}"


def _import_post(post, edition, target, folder, state, report):
    rendered = render(post, edition)
    report.decisions.update(rendered.decisions)
    report.notes += rendered.notes
    key = _state_key(post, edition)
    known = state.get(key)
    path = folder / known["file"] if known else target / f"{rendered.slug}.md"
    if known and path.exists() and digest(path.read_text(encoding="utf-8")) != known["hash"]:
        report.conflicts.append(f"{path} (WordPress post {post.wp_id}) was edited here since it was imported")
        return
    resumed = False
    if not known and path.exists():
        # Written by an import cut short before it saved its state: the same text is this post.
        resumed = digest(path.read_text(encoding="utf-8")) == digest(rendered.text)
        if not resumed:
            path = target / f"{rendered.slug}-{post.wp_id}.md"
            resumed = path.exists() and digest(path.read_text(encoding="utf-8")) == digest(rendered.text)
    for form, count in rendered.restored.forms.items():
        report.forms[form] = report.forms.get(form, 0) + count
    for line, what, why in rendered.restored.ambiguous:
        report.add("markers ambiguous", f"{path}:{rendered.body_line + line}", f"{what} ({why})")
    for kind, line, what in rendered.findings:
        report.add(kind, f"{path}:{line}" if line else str(path), what)
    entry = {"file": path.relative_to(folder).as_posix(), "hash": digest(rendered.text), "link": post.link,
             "slug": rendered.slug, "author": post.author, "countries": rendered.countries}  # fmt: skip
    if edition.lang != edition.default_lang:
        entry["lang"] = edition.lang
    if known and known["hash"] == entry["hash"]:
        report.unchanged += 1
        state[key] = {**known, **entry}
        return
    if resumed:
        report.resumed += 1
    else:
        write_atomically(path, rendered.text)
    state[key] = entry
    if known:
        report.updated += 1
    else:
        report.imported += 1
        report.drafts += rendered.draft


def write_comments_for_isso(export, wp, slugs, target):
    """The export's comments only, each post's link replaced by its thread id (`slugs`: WordPress id -> thread), item by item."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    namespaces = {"wp": wp, "content": "http://purl.org/rss/1.0/modules/content/", "dc": "http://purl.org/dc/elements/1.1/"}
    with etree.xmlfile(str(target), encoding="utf-8") as out:
        out.write_declaration()
        with out.element("rss", {"version": "2.0"}, nsmap=namespaces), out.element("channel"):
            for item in items(export):
                wp_id = item.findtext(f"{{{wp}}}post_id")
                if wp_id not in slugs or item.find(f"{{{wp}}}comment") is None:
                    continue
                item.find("link").text = slugs[wp_id]
                for unwanted in item.findall("{http://purl.org/rss/1.0/modules/content/}encoded"):
                    unwanted.text = ""
                out.write(item)
