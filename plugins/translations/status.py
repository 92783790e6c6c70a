"""What `invoke translate` and `invoke translation-status` know of the posts, without building.

They read the posts' files (every folder of ARTICLE_PATHS, imported archives included) and
group them with the build's own rule, `model.group_translations`, so a task can never
disagree with the site about which file translates which.
"""

from dataclasses import dataclass
from pathlib import Path

from pelican.utils import get_date

from .model import group_translations, is_stale, translation_key

# What a row of `translation-status` says of one language of a post.
MISSING, OK, STALE, DRAFT, UNTRANSLATED = "missing", "ok", "STALE", "draft", "draft, not yet translated"


@dataclass
class PostFile:
    """A post as its file says it, with the attributes the translation model reads of an article."""

    source_path: str
    metadata: dict
    lang: str
    slug: str
    body: str
    date: object = None
    modified: object = None

    @property
    def is_draft(self):
        return self.metadata.get("status", "").lower() == "draft"


def read_post(path, text, default_lang):
    """A post file's metadata and text, as `PostFile`; dates that cannot be read are left unset."""
    from strict.checks import metadata_block, metadata_values  # noqa: PLC0415 - strict imports Pelican's signals

    metadata = metadata_values(text)
    _, body_line = metadata_block(text)
    body = "\n".join(text.splitlines()[body_line - 1 :]).strip()
    return PostFile(str(path), metadata, metadata.get("lang") or default_lang, metadata.get("slug") or Path(path).stem,
                    body, _date(metadata.get("date")), _date(metadata.get("modified")))  # fmt: skip


def _date(value):
    try:
        return get_date(value) if value else None
    except (ValueError, OverflowError):
        return None


def post_files(content, article_paths, default_lang):
    """Every Markdown post under the content folder's article paths, in path order."""
    content = Path(content)
    paths = sorted({path for folder in article_paths for path in (content / folder).rglob("*.md")})
    return [read_post(path, path.read_text(encoding="utf-8-sig"), default_lang) for path in paths]


def grouped(posts, languages):
    """The posts grouped by translation key, as the build groups them (its problems are the build's to report)."""
    dated = [post for post in posts if post.date is not None]
    groups, _problems = group_translations(dated, list(languages))
    return groups


def find_original(groups, slug):
    return next((group for group in groups if translation_key(group.original) == slug), None)


def translation_state(translation, original):
    """One language of a post: draft (and whether it is still the original's text), stale, or ok."""
    if translation.is_draft:
        return UNTRANSLATED if translation.body == original.body else DRAFT
    return STALE if is_stale(translation, original) else OK


def status_rows(groups, languages):
    """(original, {language: state}) for each post, by slug; the original's own language is left out."""
    rows = []
    for group in sorted(groups, key=lambda g: translation_key(g.original)):
        original = group.original
        states = {}
        for lang in languages:
            if lang == original.lang:
                continue
            version = group.versions.get(lang)
            states[lang] = MISSING if version is None else translation_state(version, original)
        rows.append((original, states))
    return rows


def translation_target(original, lang, content, article_paths):
    """Where a new translation of `original` goes: `<lang>/<slug>.md` in the article folder that holds it."""
    content = Path(content)
    source = Path(original.source_path)
    folder = next((content / f for f in article_paths if (content / f) in source.parents), source.parent)
    return folder / lang / f"{original.slug}.md"
