"""Countries: a post's `Category:` is its country, by any name CLDR or our alias list knows.

`Category: Turkey`, `Category: Türkiye` and `Category: Турция` are one country with one page,
named by CLDR's main English name. A roundup about several countries names them all
(`Countries: Kyrgyzstan, Kazakhstan`); every named country's page lists it. Which name a page
shows in each language is `COUNTRIES["names"]` (see plugins/country_names).
"""

from country_names import DISPLAY_DEFAULTS, country_code, english_name, is_country
from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Category
from strict.checks import country_suggestion, listed, metadata_line
from strict.problems import report, settings_error

SETTING = "COUNTRIES"
DEFAULTS = {"names": {}}


def display_names(configured, defaults=DISPLAY_DEFAULTS):
    """COUNTRIES["names"] over the defaults, keyed by code: a country may be named by any of
    its names ({"ru": {"Kyrgyzstan": "Кыргызстан"}}). Raises ValueError for what is not a country."""
    if not isinstance(configured, dict):
        raise ValueError(f'{SETTING}["names"] must be a dict: {{"ru": {{"KG": "Кыргызстан"}}}}')
    merged = {lang: dict(names) for lang, names in defaults.items()}
    for lang, names in configured.items():
        if not isinstance(names, dict):
            raise ValueError(f'{SETTING}["names"]["{lang}"] must be a dict of country -> name, e.g. {{"KG": "Кыргызстан"}}')
        for country, name in names.items():
            code = country if is_country(country) else country_code(country)
            if code is None:
                raise ValueError(f'{SETTING}["names"]["{lang}"]: "{country}" is not a country ({country_suggestion(country)})')
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f'{SETTING}["names"]["{lang}"]["{country}"] must be the name to show, a non-empty string')
            merged.setdefault(lang, {})[code] = name.strip()
    return merged


def check_config(pelican):
    config = {**DEFAULTS, **pelican.settings.get(SETTING, {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"countries: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    try:
        pelican.settings[SETTING] = {**config, "names": display_names(config["names"])}
    except ValueError as error:
        settings_error(f"countries: {error}")


def _one_page(name, settings):
    """The country's Category under its main English name, whatever spelling the post used."""
    code = country_code(name)
    return Category(english_name(code), settings) if code else Category(name, settings)


def read_countries(content):
    if not isinstance(content, Article) or not hasattr(content, "category"):
        return
    content.category = _one_page(content.category.name, content.settings)
    content.countries = [content.category]
    for name in listed(content.metadata, "countries"):
        if country_code(name) is None:
            path = content.source_path
            report(path, metadata_line(path, "countries"), f'Countries: "{name}" is not a country', country_suggestion(name))
        else:
            country = _one_page(name, content.settings)
            if country not in content.countries:
                content.countries.append(country)


def list_on_every_country(generator):
    """Pelican lists a post under its Category only; add it to its other countries' pages."""
    pages = {category.name: articles for category, articles in generator.categories}
    for article in generator.articles:
        for country in getattr(article, "countries", [])[1:]:
            if country.name not in pages:
                pages[country.name] = []
                generator.categories.append((country, pages[country.name]))
            pages[country.name].append(article)
    generator.categories.sort(reverse=generator.settings["REVERSE_CATEGORY_ORDER"])


def register():
    signals.initialized.connect(check_config)
    signals.content_object_init.connect(read_countries)
    signals.article_generator_finalized.connect(list_on_every_country)
