"""UI strings: the theme's text through gettext catalogs, names and dates through CLDR.

Only the theme's own strings go through gettext; topic names come from a plain table
(`topics.py`), country and language names from CLDR, so content is always escaped.

Every page is rendered in its own language: an article's, or the language site's it
belongs to (the `page_lang` a generator passes), else DEFAULT_LANG. Catalogs are
read from the theme's `translations/<lang>/LC_MESSAGES/messages.po`.
"""

import logging
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.lists import format_list as babel_format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from pelican import signals
from country_names import country_label

from .topics import topic_names

logger = logging.getLogger(__name__)

CATALOG = "translations/{lang}/LC_MESSAGES/messages.po"


def load_catalog(theme, lang):
    """The compiled catalog for one language, read from its .po file; none if there is none."""
    path = Path(theme) / CATALOG.format(lang=lang)
    if not path.exists():
        return NullTranslations()
    return _compiled(path, lang, path.stat().st_mtime_ns)


@cache
def _compiled(path, lang, mtime):
    """Read and compile once per file version; catalogs stay out of the settings, which
    Pelican pickles into its cache (a catalog's plural rule cannot be pickled)."""
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@cache
def locale(tag):
    """Babel's Locale for a BCP 47 tag such as "ru" or "zh-Hant"; parsed once per build."""
    return Locale.parse(tag, sep="-")


@cache
def language_name(tag, in_lang):
    """A language's name as CLDR writes it in another language: ("ru", "en") -> "Russian"."""
    return locale(tag).get_display_name(locale(in_lang))


def native_name(tag):
    """A language's name in itself, capitalised as in a menu: "ru" -> "Русский"."""
    name = language_name(tag, tag)
    return name[:1].upper() + name[1:]


def text_direction(tag):
    return locale(tag).text_direction


@pass_context
def current_lang(context):
    """The language of the page being rendered."""
    if context.get("page_lang"):
        return context["page_lang"]
    for name in ("article", "page"):
        content = context.get(name)
        if content is not None and getattr(content, "lang", None):
            return content.lang
    return context["DEFAULT_LANG"]


def ui_catalog(settings, lang):
    """The theme's catalog for a language, for plugins that write text outside templates."""
    return load_catalog(settings["THEME"], lang)


def _catalog(context):
    catalogs = context["UI_CATALOGS"]
    return catalogs.get(current_lang(context)) or catalogs[context["DEFAULT_LANG"]]


@pass_context
def gettext(context, message):
    return _catalog(context).gettext(message)


@pass_context
def ngettext(context, singular, plural, number):
    return _catalog(context).ngettext(singular, plural, number)


@pass_context
def setting_text(context, text):
    """A setting's text (SITESUBTITLE) in the page's language, from the catalog as plain text:
    escaped where it is written and never %-formatted, unlike new-style gettext's Markup."""
    return _catalog(context).gettext(text)


@pass_context
def format_date(context, date, format="long"):
    return babel_format_date(date, format=format, locale=locale(current_lang(context)))


@pass_context
def format_list(context, items):
    """ "Russian, Kazakh" -> "Russian and Kazakh", "русский и казахский", as the page's language says it."""
    return babel_format_list(list(items), locale=locale(current_lang(context)))


@pass_context
def country_name(context, category):
    """A country's name in the page's language (COUNTRIES["names"], else CLDR's), as plain
    text for autoescaping; categories are countries."""
    return country_label(category, current_lang(context), context)


@pass_context
def topic_name(context, tag):
    """A topic's name in the page's language, from content/topics.toml; plain text, escaped as any."""
    names = context["TOPIC_NAMES"].get(current_lang(context), {})
    return names.get(str(tag), str(tag))


def install_helpers(generator):
    env = generator.env
    settings = generator.settings
    languages = settings.get("LANGUAGES") or {settings["DEFAULT_LANG"]: {}}
    # In the environment, not the settings: Pelican pickles settings into its cache.
    env.globals["UI_CATALOGS"] = {lang: load_catalog(settings["THEME"], lang) for lang in languages}
    env.globals["TOPIC_NAMES"] = topic_names(settings)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(current_lang=current_lang)
    env.filters.update(
        language_name=language_name,
        native_name=native_name,
        text_direction=text_direction,
        format_date=format_date,
        format_list=format_list,
        country_name=country_name,
        topic_name=topic_name,
        setting_text=setting_text,
    )


def register():
    signals.generator_init.connect(install_helpers)
