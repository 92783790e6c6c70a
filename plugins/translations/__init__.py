"""Translations: one post in many languages, and a whole site per language.

A translation is a post with `Lang:`, `Translator:` and the original's slug (its
own `Slug:`, or `Translation-of:` when it has a translated slug). Everything is
read once; the default language's site is Pelican's, the others are written by
`LanguageSitesGenerator` with Pelican's own list-page writers.
"""

import re

from pelican import signals
from source_lang.markers import known_tag
from pelican.utils import order_content
from strict.checks import metadata_line
from strict.problems import display_path, report, settings_error

from .hosts import move_to_language_hosts
from .model import (
    TRANSLATOR_FIX,
    group_translations,
    is_stale,
    listing,
    parse_translator,
    translation_date,
    translator_problem,
    untranslated_recent,
)
from .sites import (
    PERSON_SLUGS,
    LanguageSitesGenerator,
    credit_translators,
    fast_membership,
    in_lang,
    lang_url,
    language_links,
    person,
    planned_pages,
    site_settings,
)

SETTING = "TRANSLATIONS"
DEFAULTS = {"untranslated": "hide", "sites": None}
# How many of the default language's newest posts a language site's home page looks at when it
# says how many it has not translated ("Also in English: 3 recent posts").
RECENT = 10
# Per-language options: "host", the address the language's site is served at (publishing only).
LANGUAGE_KEYS = {"host"}


def check_config(pelican):
    settings = pelican.settings
    config = {**DEFAULTS, **settings.get(SETTING, {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"translations: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    if config["untranslated"] not in ("note", "hide"):
        settings_error(f'translations: {SETTING}["untranslated"] must be "note" or "hide"')
    languages = settings.get("LANGUAGES") or {}
    if settings["DEFAULT_LANG"] not in languages:
        settings_error(f'translations: DEFAULT_LANG "{settings["DEFAULT_LANG"]}" must be one of LANGUAGES')
    for lang, options in languages.items():
        if known_tag(lang) is None:
            settings_error(f"translations: LANGUAGES has {lang!r}, which is not a language Babel knows (e.g. 'ru', 'kk')")
        unknown = sorted(set(options) - LANGUAGE_KEYS)
        if unknown:
            settings_error(f"translations: unknown key(s) {unknown} in LANGUAGES[{lang!r}]; known: {sorted(LANGUAGE_KEYS)}")
        _check_host(settings, lang, options.get("host"))
    sites = config["sites"]
    if sites is not None and (not isinstance(sites, list | tuple) or settings["DEFAULT_LANG"] not in sites
                              or set(sites) - set(languages)):  # fmt: skip
        settings_error(f'translations: {SETTING}["sites"] must list languages of LANGUAGES, the default '
                       f'"{settings["DEFAULT_LANG"]}" among them (got {sites!r})')  # fmt: skip
    settings[SETTING] = config
    # Translations are grouped here, by translation key, not by Pelican's slug rule.
    settings["ARTICLE_TRANSLATION_ID"] = None


def _check_host(settings, lang, host):
    if host is None:
        return
    if lang == settings["DEFAULT_LANG"]:
        settings_error(f"translations: LANGUAGES[{lang!r}] is the default language; its address is SITEURL, not a host")
    if not isinstance(host, str) or not re.fullmatch(r"https?://[^/\s]+/?", host):
        settings_error(f"translations: LANGUAGES[{lang!r}]['host'] must be an address like 'https://{lang}.example.org' (got {host!r})")
    if settings["RELATIVE_URLS"] or not settings["SITEURL"].startswith(("http://", "https://")):
        settings_error(f"translations: LANGUAGES[{lang!r}] has a host, which needs absolute addresses: set SITEURL "
                       "and RELATIVE_URLS = False, as publishconf.py does")  # fmt: skip


def link_translations(generator):
    settings = generator.settings
    languages = list(settings["LANGUAGES"])
    groups, problems = group_translations(generator.articles, languages)
    for problem in problems:
        path = problem.article.source_path
        other = display_path(problem.other.source_path) if problem.other else ""
        report(path, metadata_line(path, problem.key), problem.message.format(other=other), problem.fix)
    people = generator.context.get(PERSON_SLUGS)
    for group in groups:
        versions = list(group.versions.values())
        for article in versions:
            # Pelican formats a URL on every access; templates ask for each many times.
            article.override_url = article.url
            article.versions = versions
            article.translations = [v for v in versions if v is not article]
            article.original = group.original
            if article is not group.original:
                _check_translator(article)
                article.translator_name, article.translator_url = parse_translator(article.metadata["translator"])
                # A translator is credited like an author: a page of their own on each language site
                # they translate into, listing their translations (`taxonomy`, `credit_translators`).
                article.translators = [person(article.translator_name, settings, people)] if article.translator_name else []
                article.translation_date = translation_date(article)
                article.stale = is_stale(article, group.original)
    untranslated = settings[SETTING]["untranslated"]
    listings = {lang: listing(groups, lang, untranslated) for lang in languages}
    default = order_content(listings[settings["DEFAULT_LANG"]], settings["ARTICLE_ORDER_BY"])
    listed = set(map(id, default))
    generator.translations = [v for g in groups for v in g.versions.values() if id(v) not in listed]
    generator.articles = default
    sites = settings[SETTING]["sites"] or languages
    generator.context["LANGUAGE_LISTINGS"] = {lang: listings[lang] for lang in sites}
    generator.context["UNTRANSLATED_RECENT"] = {
        lang: len(untranslated_recent(default, lang, RECENT)) if untranslated == "hide" else 0 for lang in sites
    }
    generator.context["LANGUAGE_PAGES"] = {
        lang: planned_pages(listings[lang], site_settings(settings, lang), lang, people) for lang in sites
    }


def _check_translator(article):
    problem = translator_problem(article.metadata["translator"])
    if problem:
        path = article.source_path
        report(path, metadata_line(path, "translator"), problem, TRANSLATOR_FIX)


def check_page_languages(generator):
    """Pages are not grouped like posts, but each is written in its language: it must be one of LANGUAGES."""
    languages = generator.settings["LANGUAGES"]
    kinds = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")
    for page in {id(p): p for kind in kinds for p in getattr(generator, kind, [])}.values():
        if page.lang not in languages:
            path = page.source_path
            report(path, metadata_line(path, "lang"), f'Lang "{page.lang}" is not configured',
                   f"use one of {', '.join(languages)}, or add it to LANGUAGES")  # fmt: skip


def install_helpers(generator):
    order = {lang: index for index, lang in enumerate(generator.settings.get("LANGUAGES", {}))}

    def in_language_order(versions):
        """A post's or page's versions in the order of LANGUAGES, as every language switcher lists them."""
        return sorted(versions, key=lambda version: order.get(version.lang, len(order)))

    generator.env.filters.update(lang_url=lang_url, in_lang=in_lang, in_language_order=in_language_order)
    generator.env.globals.update(language_links=language_links)


def add_generator(pelican):
    return LanguageSitesGenerator


def register():
    signals.initialized.connect(check_config)
    signals.generator_init.connect(install_helpers)
    signals.article_generator_pretaxonomy.connect(link_translations)
    signals.get_generators.connect(add_generator)
    signals.article_generator_finalized.connect(credit_translators)
    signals.article_generator_finalized.connect(fast_membership)
    signals.page_generator_finalized.connect(check_page_languages)
    signals.finalized.connect(move_to_language_hosts)
