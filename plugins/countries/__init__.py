"""Countries: a roundup about several countries names them all (`Countries: Kyrgyzstan, Kazakhstan`).

Its `Category:` is its primary country; every named country's page lists it.
"""

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Category
from strict.checks import country_code, country_suggestion, listed, metadata_line
from strict.problems import report


def read_countries(content):
    if not isinstance(content, Article) or not hasattr(content, "category"):
        return
    content.countries = [content.category]
    for name in listed(content.metadata, "countries"):
        if country_code(name) is None:
            path = content.source_path
            report(path, metadata_line(path, "countries"), f'Countries: "{name}" is not a country', country_suggestion(name))
        elif name != content.category.name:
            content.countries.append(Category(name, content.settings))


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
    signals.content_object_init.connect(read_countries)
    signals.article_generator_finalized.connect(list_on_every_country)
