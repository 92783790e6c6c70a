"""Sharing: Open Graph and Twitter card tags, and schema.org NewsArticle JSON-LD per post.

A translation says which work it translates (`translationOfWork`) and who translated
it (`translator`); an original lists its translations (`workTranslation`).
"""

from functools import partial

from babel.core import get_global
from country_names import country_label
from markupsafe import Markup
from pelican import signals
from site_urls import absolute_url

from .share_links import share_links


def og_locale(lang):
    """Open Graph's locale form of a language: "ru" -> "ru_RU", by CLDR's likely subtags."""
    likely = get_global("likely_subtags").get(lang.replace("-", "_"), lang)
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else parts[0]


def _person(name, url=None):
    """A schema.org Person; a mailto: address (a translator may give one) is an email, not a url."""
    if url and url.lower().startswith("mailto:"):
        return {"@type": "Person", "name": name, "email": url[len("mailto:") :]}
    return {"@type": "Person", "name": name, **({"url": url} if url else {})}


def news_article(article, settings):
    """The schema.org NewsArticle describing a post, with absolute addresses."""
    # A mirror's copy describes the main site's page: shares and search engines credit one address.
    url = absolute_url({**settings, "SITEURL": settings.get("CANONICAL_SITEURL") or settings["SITEURL"]}, article.url)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Markup(article.title).striptags()[:110],
        "description": Markup(article.summary).striptags(),
        "inLanguage": article.lang,
        "datePublished": article.date.isoformat(),
        "dateModified": getattr(article, "modified", article.date).isoformat(),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": [_person(a.name, absolute_url(settings, a.url)) for a in getattr(article, "authors", [])],
        "publisher": {"@type": "Organization", "name": settings["SITENAME"], "url": absolute_url(settings, "")},
        "articleSection": country_label(article.category, article.lang, settings),
        "keywords": [t.name for t in getattr(article, "tags", [])],
    }
    image = getattr(article, "lead_image", None)
    if image:
        data["image"] = {"@type": "ImageObject", "url": absolute_url(settings, image.original),
                         "width": image.width, "height": image.height, "caption": image.caption or image.alt,
                         **({"creditText": image.credit} if image.credit else {})}  # fmt: skip
    original = getattr(article, "original", article)
    if original is not article:
        data["translationOfWork"] = {"@type": "NewsArticle", "@id": absolute_url(settings, original.url),
                                     "headline": Markup(original.title).striptags(), "inLanguage": original.lang}  # fmt: skip
        data["translator"] = _person(article.translator_name, getattr(article, "translator_url", None))
    else:
        data["workTranslation"] = [
            {"@type": "NewsArticle", "@id": absolute_url(settings, t.url), "inLanguage": t.lang}
            for t in getattr(article, "translations", [])
        ]
    return data


def install(generator):
    """`news_article(article)` and `og_locale` for the templates: worked out when a page is
    written, so that they always describe the post as it reads then."""
    generator.env.globals["news_article"] = partial(news_article, settings=generator.settings)
    generator.env.filters["og_locale"] = og_locale
    generator.env.globals["share_links"] = lambda article: share_links(
        absolute_url(generator.settings, article.url), Markup(article.title).striptags())


def register():
    signals.generator_init.connect(install)
