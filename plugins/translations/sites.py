"""A whole site per language: the list pages, feed and 404 under /<lang>/, from one read."""

import re
from collections import defaultdict, namedtuple
from functools import partial
from types import SimpleNamespace

from jinja2 import pass_context
from pelican.generators import ArticlesGenerator, Generator
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import order_content

# Settings that place a list page, besides each direct template's; a language site
# prefixes each with "<lang>/".
PLACED = ["CATEGORY_SAVE_AS", "CATEGORY_URL", "TAG_SAVE_AS", "TAG_URL", "AUTHOR_SAVE_AS", "AUTHOR_URL"]
# The context key where plugins/people puts {credited name: its profile's slug}.
PERSON_SLUGS = "PERSON_SLUGS"
LanguageLink = namedtuple("LanguageLink", "lang url")
_PAGE_N = re.compile(r"page/\d+/(index\.html)?$")


def prefix(lang, settings):
    return "" if lang == settings["DEFAULT_LANG"] else f"{lang}/"


def site_settings(settings, lang):
    """The settings of one language site: every list page moved under its prefix."""
    start = prefix(lang, settings)
    placed = {key: start + settings[key] for key in PLACED if settings.get(key)}
    for name in settings["DIRECT_TEMPLATES"]:
        for suffix, default in (("_SAVE_AS", f"{name}.html"), ("_URL", f"{name}.html")):
            key = name.upper() + suffix
            if settings.get(key, default):
                placed[key] = start + settings.get(key, default)
    return {**settings, **placed}


class Members(list):
    """A list of posts that answers `in` at once. Pelican finds each list page's `dates` by
    testing every post of the site for membership in the page's list: quadratic on a list."""

    def __contains__(self, item):
        if getattr(self, "_counted", -1) != len(self):
            self._ids, self._counted = {id(member) for member in self}, len(self)
        return id(item) in self._ids


def credit_translators(generator):
    """The default site's author pages also list the posts each person translated into its language
    (Pelican makes those pages from `Author:` alone)."""
    translated = [a for a in generator.articles if getattr(a, "translators", None)]
    if not translated:
        return
    position = {id(article): index for index, article in enumerate(generator.articles)}
    pages = {author: list(items) for author, items in generator.authors}
    listed = {(author.slug, id(article)) for author, items in pages.items() for article in items}
    for article in translated:
        for person in article.translators:
            if (person.slug, id(article)) not in listed:  # a translator who is also its author: listed once
                listed.add((person.slug, id(article)))
                pages.setdefault(person, []).append(article)
    for items in pages.values():
        items.sort(key=lambda article: position[id(article)])
    generator.authors[:] = sorted(pages.items(), key=_wrapper)


def fast_membership(generator):
    """The same for the default language's country, topic and author pages, which Pelican writes."""
    generator.tags.update((tag, Members(items)) for tag, items in generator.tags.items())
    generator.categories[:] = [(category, Members(items)) for category, items in generator.categories]
    generator.authors[:] = [(author, Members(items)) for author, items in generator.authors]


def taxonomy(articles, settings, people=None):
    """Country, topic and author pages of one listing, as Pelican builds them for the default site.

    `people` maps a credited name to the slug of its profile (plugins/people), where one says so."""
    categories, tags, authors = defaultdict(list), defaultdict(list), defaultdict(list)
    for article in articles:
        for country in getattr(article, "countries", [article.category]):
            categories[country.name].append(article)
        for tag in getattr(article, "tags", []):
            tags[tag.name].append(article)
        credited = [*getattr(article, "authors", []), *getattr(article, "translators", [])]
        for name in dict.fromkeys(person.name for person in credited):
            authors[name].append(article)
    # Sorted by the wrapper alone: two spellings of one name compare equal (strict reports them).
    return (
        sorted(((Category(name, settings), Members(items)) for name, items in categories.items()), key=_wrapper),
        {Tag(name, settings): Members(items) for name, items in sorted(tags.items())},
        sorted(((person(name, settings, people), Members(items)) for name, items in authors.items()), key=_wrapper),
    )


def person(name, settings, people):
    """An author's wrapper on a language site, at the address a profile gives them (`people`)."""
    author = Author(name, settings)
    slug = people.get(name) if people else None
    if slug:
        author.slug = slug
    return author


def _wrapper(pair):
    return pair[0]


def planned_pages(articles, settings, lang, people=None):
    """The site-relative paths, without the language prefix, of a language site's list pages."""
    categories, tags, authors = taxonomy(articles, settings, people)
    start = prefix(lang, settings)
    wrappers = [c for c, _ in categories] + list(tags) + [a for a, _ in authors]
    paths = {w.save_as for w in wrappers} | {
        settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html") for name in settings["DIRECT_TEMPLATES"]
    }
    return {path.removeprefix(start) for path in paths if path}


def _languages(context):
    return context.get("LANGUAGES") or {context["DEFAULT_LANG"]: {}}


def _unprefixed(url, context):
    for lang in _languages(context):
        if url.startswith(f"{lang}/"):
            return url[len(lang) + 1 :]
    return url


@pass_context
def lang_url(context, url):
    """A site-relative URL moved into the language site of the page being rendered."""
    lang = context.environment.globals["current_lang"](context)
    return prefix(lang, context) + _unprefixed(url, context)


@pass_context
def language_links(context):
    """For a list page, the same page in every language (its home page where it has none)."""
    base = _PAGE_N.sub("index.html", _unprefixed(context.get("output_file", "index.html"), context))
    links = []
    for lang in _languages(context):
        planned = context["LANGUAGE_PAGES"].get(lang, set())
        path = base if base in planned else context.get("INDEX_SAVE_AS", "index.html")
        links.append(LanguageLink(lang, (prefix(lang, context) + path).removesuffix("index.html")))
    return links


@pass_context
def in_lang(context, content):
    """The version of a post or page in the page's language, if there is one."""
    lang = context.environment.globals["current_lang"](context)
    if content.lang == lang:
        return content
    return next((t for t in content.translations if t.lang == lang), content)


class LanguageSitesGenerator(Generator):
    """Writes every other language's list pages, reusing Pelican's own writers."""

    def generate_output(self, writer):
        listings = self.context["LANGUAGE_LISTINGS"]
        for lang, articles in listings.items():
            if lang == self.settings["DEFAULT_LANG"]:
                continue
            settings = site_settings(self.settings, lang)
            site = self._site(lang, articles, settings)
            write = partial(writer.write_file, relative_urls=settings["RELATIVE_URLS"])
            for step in ("generate_direct_templates", "generate_tags", "generate_categories", "generate_authors"):
                getattr(ArticlesGenerator, step)(site, write)

    def _site(self, lang, articles, settings):
        articles = order_content(list(articles), settings["ARTICLE_ORDER_BY"])
        dates = sorted(articles, key=lambda a: a.date, reverse=settings["NEWEST_FIRST_ARCHIVES"])
        categories, tags, authors = taxonomy(articles, settings, self.context.get(PERSON_SLUGS))
        context = {**self.context, "page_lang": lang, "articles": articles, "dates": dates,
                   "categories": categories, "tags": list(tags.items()), "authors": authors}  # fmt: skip
        return SimpleNamespace(settings=settings, context=context, articles=articles, dates=dates,
                               categories=categories, tags=tags, authors=authors, get_template=self.get_template)  # fmt: skip
