"""Write the posts of a WordPress export as Markdown files, idempotently, with a report."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from markupsafe import Markup
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from .convert import restore_markers, to_markdown
from .taxonomy import classify
from .wxr import read_export

STATE = ".import-state.json"
DRAFT_STATUSES = {"draft", "pending", "private", "future"}


@dataclass
class Report:
    imported: int = 0
    drafts: int = 0
    unchanged: int = 0
    updated: int = 0
    conflicts: list = field(default_factory=list)
    forms: dict = field(default_factory=dict)
    ambiguous: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def text(self):
        lines = [f"Imported {self.imported} new posts ({self.drafts} drafts); {self.updated} updated; "
                 f"{self.unchanged} unchanged; {len(self.conflicts)} conflicts."]  # fmt: skip
        lines += ["Markers restored:"] + [f"  {form}: {count}" for form, count in sorted(self.forms.items())]
        lines += ["Markers left as text (ambiguous):"] + [f"  {where}: {what} ({why})" for where, what, why in self.ambiguous]
        lines += ["Conflicts (edited in Tilmash since the last import; not overwritten):"] + [f"  {c}" for c in self.conflicts]
        lines += ["Notes:"] + [f"  {note}" for note in self.notes]
        lines += ["Taxonomy decisions:"] + [f"  {d}" for d in sorted(set(self.decisions))]
        return "\n".join(lines) + "\n"


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _title_from(markdown):
    words = re.sub(r"[#>*_\[\]()]|https?://\S+", " ", markdown).split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


@dataclass
class Rendered:
    slug: str
    text: str
    body_line: int  # the file's line where the Markdown body starts
    draft: bool
    decisions: list
    restored: object
    notes: list


def render(post, lang, default_lang):
    """A post's Markdown file, and what the report should say about it."""
    terms = classify(post.categories, post.tags, title=post.title, text=post.content)
    restored = restore_markers(to_markdown(post.content), lang)
    notes = []
    title = post.title
    if not title:
        title = _title_from(restored.markdown)
        notes.append(f"post {post.wp_id} has no title; it is now {title!r}")
    draft = post.status in DRAFT_STATUSES
    if not terms.countries:
        draft = True
        notes.append(f"post {post.wp_id} ({title!r}) names no country; it is kept as a draft until it has one")
    slug = post.slug or slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    fields = [("Title", title), ("Date", post.date[:16]), ("Category", terms.countries[0] if terms.countries else ""),
              ("Countries", ", ".join(terms.countries) if len(terms.countries) > 1 else ""),
              ("Regions", ", ".join(terms.regions)),
              ("Tags", ", ".join(terms.topics)), ("Author", post.author), ("Slug", slug),
              ("Lang", lang if lang != default_lang else ""), ("Type", terms.post_type),
              ("Source-languages", ", ".join(terms.languages)), ("Status", "draft" if draft else ""),
              ("Summary", " ".join(Markup(post.excerpt).striptags().split()))]  # fmt: skip
    header = "".join(f"{key}: {value}\n" for key, value in fields if value)
    return Rendered(slug, header + "\n" + restored.markdown, header.count("\n") + 1, draft, terms.decisions, restored, notes)


def import_export(export, folder, default_lang="en", language=None, isso_export=None):
    """Import every post of `export` into `folder`; returns the report."""
    site_lang, posts = read_export(export)
    lang = language or site_lang
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state_file = folder / STATE
    state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else {}
    report = Report()
    for post in posts:
        rendered = render(post, lang, default_lang)
        report.decisions += rendered.decisions
        report.notes += rendered.notes
        known = state.get(post.wp_id)
        path = folder / (known["file"] if known else f"{rendered.slug}.md")
        if known and path.exists() and _digest(path.read_text(encoding="utf-8")) != known["hash"]:
            report.conflicts.append(f"{path} (WordPress post {post.wp_id}) was edited here since it was imported")
            continue
        if not known and path.exists():
            path = folder / f"{rendered.slug}-{post.wp_id}.md"
        for form, count in rendered.restored.forms.items():
            report.forms[form] = report.forms.get(form, 0) + count
        report.ambiguous += [(f"{path}:{rendered.body_line + line}", what, why)
                             for line, what, why in rendered.restored.ambiguous]  # fmt: skip
        if known and known["hash"] == _digest(rendered.text):
            report.unchanged += 1
            continue
        path.write_text(rendered.text, encoding="utf-8")
        state[post.wp_id] = {"file": path.name, "hash": _digest(rendered.text)}
        if known:
            report.updated += 1
        else:
            report.imported += 1
            report.drafts += rendered.draft
    new_state = json.dumps(state, indent=2, sort_keys=True) + "\n"
    if not state_file.exists() or state_file.read_text(encoding="utf-8") != new_state:
        state_file.write_text(new_state, encoding="utf-8")
    if isso_export:
        write_comments_for_isso(export, posts, isso_export)
        report.notes.append(f"comments written to {isso_export} for `isso import`; none appear in pages or feeds")
    return report


def write_comments_for_isso(export, posts, target):
    """The export's comments only, each post's link replaced by its thread id (its slug)."""
    tree = etree.parse(str(export), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    channel = tree.getroot().find("channel")
    slugs = {p.wp_id: p.slug for p in posts}
    for item in channel.findall("item"):
        wp_id = item.findtext("{http://wordpress.org/export/1.2/}post_id")
        if wp_id not in slugs or item.find("{http://wordpress.org/export/1.2/}comment") is None:
            channel.remove(item)
            continue
        item.find("link").text = slugs[wp_id]
        for unwanted in item.findall("{http://purl.org/rss/1.0/modules/content/}encoded"):
            unwanted.text = ""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    tree.write(str(target), encoding="utf-8", xml_declaration=True)

