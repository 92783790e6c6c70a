"""Which post is a translation of which, checked; and what each language site lists."""

import re
from dataclasses import dataclass, field

from pelican.utils import get_date
from strict.checks import address_problem

_TRANSLATOR = re.compile(r"^\s*(?P<name>[^<]*?)\s*(?:<(?P<url>[^>]+)>)?\s*$")


@dataclass
class Group:
    """One post in all its languages; `versions` maps a language to its article."""

    original: object
    versions: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TranslationProblem:
    """What is wrong with an article; `{other}` in the message stands for `other`'s file."""

    article: object
    key: str
    message: str
    fix: str
    other: object = None


def is_translation(article):
    return "translation-of" in article.metadata or "translator" in article.metadata


def translation_key(article):
    return article.metadata.get("translation-of") or article.slug


def parse_translator(value):
    """ "Irina Kim <https://example.org/irina>" -> ("Irina Kim", "https://example.org/irina")."""
    match = _TRANSLATOR.match(value or "")
    return (match["name"], match["url"] and match["url"].strip()) if match else (value, None)


TRANSLATOR_FIX = 'write "Translator: Irina Kim", or "Translator: Irina Kim <https://example.org/irina>"'


def translator_problem(value):
    """What is wrong with a `Translator:` value, or None: a name, then optionally <address>."""
    if not (value or "").strip():
        return "Translator: is empty; a published translation credits its translator"
    match = _TRANSLATOR.match(value)
    if match is None or not match["name"] or ">" in match["name"]:
        return f'Translator "{value}" is not a name, or a name and <address>'
    if match["url"] is not None:
        problem = address_problem(match["url"].strip(), mailto=True)
        return f"Translator: {problem}" if problem else None
    return None


def last_change(article):
    return getattr(article, "modified", None) or article.date


def translation_date(article):
    value = article.metadata.get("translation-date")
    return get_date(value) if isinstance(value, str) else value or last_change(article)


def is_stale(translation, original):
    """True when the original changed after the translation was made."""
    return last_change(original).replace(tzinfo=None) > translation_date(translation).replace(tzinfo=None)


def group_translations(articles, languages):
    """Group articles into posts by translation key; return the groups and every problem."""
    problems = []
    groups = {}
    configured = ", ".join(languages)
    for article in articles:
        if article.lang not in languages:
            problems.append(TranslationProblem(article, "lang", f'Lang "{article.lang}" is not configured',
                                               f"use one of {configured}, or add it to LANGUAGES"))  # fmt: skip
    # Where two posts share a slug, the one in the default language is taken as the original.
    originals = sorted((a for a in articles if not is_translation(a)), key=lambda a: (a.lang != languages[0], a.source_path))
    for article in originals:
        key = translation_key(article)
        if key in groups:
            other = groups[key].original
            fix = 'if one translates the other, add "Translator: <name>" to it; otherwise change a slug'
            problems.append(TranslationProblem(article, "slug", f'"{key}" is also the slug of {{other}}', fix, other))
            continue
        groups[key] = Group(article, {article.lang: article})
    for article in (a for a in articles if is_translation(a)):
        key = translation_key(article)
        group = groups.get(key)
        if group is None:
            field_name = "translation-of" if "translation-of" in article.metadata else "slug"
            problems.append(TranslationProblem(article, field_name, f'there is no post with the slug "{key}" to translate',
                            "set Translation-of: (or Slug:) to the original post's slug"))  # fmt: skip
        elif "translator" not in article.metadata:
            problems.append(TranslationProblem(article, "translation-of", "the translation names no translator",
                                               'add "Translator: <name>" (optionally "<https://…>" after it)'))  # fmt: skip
        elif article.lang in group.versions:
            other = group.versions[article.lang]
            problems.append(TranslationProblem(article, "lang", f'"{key}" already has a {article.lang} version: {{other}}',
                            "keep one of the two files, or correct Lang:", other))  # fmt: skip
        else:
            group.versions[article.lang] = article
    order = {lang: index for index, lang in enumerate(languages)}
    for group in groups.values():
        group.versions = dict(sorted(group.versions.items(), key=lambda item: order.get(item[0], len(order))))
    return list(groups.values()), problems


def listing(groups, lang, untranslated="note"):
    """What a language site lists: each post in that language, else (with "note") its original."""
    chosen = []
    for group in groups:
        version = group.versions.get(lang)
        if version is None and untranslated == "note":
            version = group.original
        if version is not None:
            chosen.append(version)
    return chosen


def untranslated_recent(default_listing, lang, recent):
    """Of the default site's `recent` newest posts (its listing, newest first), those with no `lang` version."""
    return [article for article in default_listing[:recent] if lang not in {v.lang for v in article.versions}]
