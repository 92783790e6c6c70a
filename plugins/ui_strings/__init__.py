"""UI strings: the theme's text goes through gettext (`jinja2.ext.i18n`), names through CLDR."""

from babel import Locale
from pelican import signals


def language_name(tag, in_lang):
    """A language's name as CLDR writes it in another language: ("ru", "en") -> "Russian"."""
    return Locale.parse(tag, sep="-").get_display_name(Locale.parse(in_lang, sep="-"))


def install_translations(generator):
    if "jinja2.ext.InternationalizationExtension" in generator.env.extensions:
        generator.env.install_null_translations(newstyle=True)
    generator.env.filters["language_name"] = language_name


def register():
    signals.generator_init.connect(install_translations)
