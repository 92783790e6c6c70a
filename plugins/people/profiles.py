"""Profiles of the people a post credits, as data: which profile a name belongs to, which
version a language site shows, and what is wrong with them. No file is read here."""

import re
from dataclasses import dataclass, field

from source_lang.markers import known_tag
from strict.checks import address_problem

_SPLIT = re.compile(r"\s*,\s*")


@dataclass
class Profile:
    """One version of a person's profile (`content/authors/<slug>.md`, or a translation of it)."""

    slug: str
    lang: str
    name: str
    source_path: str
    names: tuple = ()  # other spellings posts credit them by: "Айгерим Садыкова"
    languages: tuple = ()  # language codes they write or translate in
    links: tuple = ()  # http(s) or mailto addresses
    photo: str = ""  # content-relative path of the picture, if any
    photo_sources: list = field(default_factory=list)  # (output-relative path, width), narrowest first
    page: object = None  # the Pelican Page the file was read as: its `content` is the bio

    @property
    def bio(self):
        return self.page.content if self.page is not None else ""


@dataclass(frozen=True)
class ProfileProblem:
    path: str
    key: str  # the metadata key the problem is on ("" for the whole file)
    message: str
    fix: str


def listed(value):
    """ "kk, ru,  en" -> ("kk", "ru", "en"): a comma-separated metadata value, empty items dropped."""
    if isinstance(value, list | tuple):
        value = ", ".join(map(str, value))
    return tuple(item for item in _SPLIT.split(str(value or "").strip()) if item)


def field_problems(path, languages, links):
    """What is wrong with a profile's `Languages:` and `Links:` values."""
    problems = []
    for code in languages:
        if known_tag(code) is None:
            problems.append(ProfileProblem(path, "languages", f'Languages: "{code}" is not a language code',
                                           "write codes such as kk, ru, en, separated by commas"))  # fmt: skip
    for address in links:
        problem = address_problem(address, mailto=True)
        if problem:
            problems.append(ProfileProblem(path, "links", f"Links: {problem}",
                                           "list https:// addresses (or mailto:), separated by commas"))  # fmt: skip
    return problems


@dataclass
class People:
    """Every profile by slug and language, and the slug each credited name belongs to."""

    versions: dict = field(default_factory=dict)  # slug -> {lang: Profile}
    slug_of: dict = field(default_factory=dict)  # credited name -> slug

    def shown(self, slug, lang, order):
        """The version of a profile a page in `lang` shows: its own, else the first in LANGUAGES order."""
        versions = self.versions.get(slug) or {}
        if lang in versions:
            return versions[lang]
        ranked = sorted(versions.values(), key=lambda p: order.index(p.lang) if p.lang in order else len(order))
        return ranked[0] if ranked else None


def index_profiles(profiles, site_languages, slugify):
    """People from profiles, and the problems that make a profile unusable or ambiguous.

    `slugify` turns a name into the slug Pelican would give its author page: a profile's own
    slug and every spelling in `Names:` claim the names that slugify to it."""
    people, problems = People(), []
    for profile in profiles:
        if profile.lang not in site_languages:
            problems.append(ProfileProblem(profile.source_path, "lang", f'Lang "{profile.lang}" is not configured',
                                           f"use one of {', '.join(site_languages)}, or add it to LANGUAGES"))  # fmt: skip
            continue
        versions = people.versions.setdefault(profile.slug, {})
        if profile.lang in versions:
            other = versions[profile.lang].source_path
            problems.append(ProfileProblem(profile.source_path, "slug",
                                           f'"{profile.slug}" already has a {profile.lang} profile: {other}',
                                           "keep one of the two files, or correct Lang: or Slug:"))  # fmt: skip
            continue
        versions[profile.lang] = profile
    for versions in people.versions.values():
        _share_with_translations(versions, site_languages)
    claimed = {}
    for slug, versions in people.versions.items():
        for profile in versions.values():
            for name in (profile.name, *profile.names):
                key = slugify(name)
                owner = claimed.setdefault(key, (slug, profile.source_path))
                if owner[0] != slug:
                    problems.append(ProfileProblem(profile.source_path, "names",
                                                   f'"{name}" is also the name of the profile {owner[1]}',
                                                   "give each person one profile; correct Title: or Names:"))  # fmt: skip
                    continue
                people.slug_of[name] = slug
                people.slug_of[key] = slug
    return people, problems


def _share_with_translations(versions, site_languages):
    """A translated profile shows its original's photo, languages and links unless it gives its own
    (the original: the version in the first of LANGUAGES the person has one in)."""
    original = min(versions.values(), key=lambda p: site_languages.index(p.lang))
    for profile in versions.values():
        if not profile.photo:
            profile.photo, profile.photo_sources = original.photo, original.photo_sources
        profile.languages = profile.languages or original.languages
        profile.links = profile.links or original.links


def credited_slug(people, name, slugify):
    """The slug of the profile a credited name (`Author:`, `Translator:`) belongs to, or None."""
    return people.slug_of.get(name) or people.slug_of.get(slugify(name))


def unclaimed(people, credited_slugs):
    """The profiles, one per person, whose person no post credits: their page would be written nowhere."""
    return [next(iter(versions.values())) for slug, versions in sorted(people.versions.items())
            if slug not in credited_slugs]  # fmt: skip


def link_label(address):
    """What a profile's link reads as: "https://www.t.me/aigerim/" -> "t.me/aigerim", "mailto:a@b.kz" -> "a@b.kz"."""
    label = address.split("://", 1)[1] if "://" in address else address.removeprefix("mailto:")
    return label.removeprefix("www.").rstrip("/")
