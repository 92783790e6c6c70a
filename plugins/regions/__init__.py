"""Regions: the trail above a post's title, "Central Asia › Kazakhstan".

The region is the smallest that contains the post's country in CLDR's territory containment
(`importer/territory_containment.json`, written by `invoke cldr-regions`), named in the
page's language; it links to the topic of that name where the language site has its page.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from country_names import country_code
from pelican import signals

from .trail import region_name, region_of, region_topic

CONTAINMENT = Path(__file__).resolve().parents[2] / "importer" / "territory_containment.json"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    topic: object  # the Tag whose page is the region's on the post's language site, or None


@cache
def containment():
    return json.loads(CONTAINMENT.read_text(encoding="utf-8"))


def attach_regions(generator):
    planned = generator.context.get("LANGUAGE_PAGES", {})
    everything = [*generator.articles, *generator.translations, *generator.drafts]
    topics = sorted({tag for article in everything for tag in getattr(article, "tags", [])}, key=str)
    for article in everything:
        code = country_code(article.category.name) if getattr(article, "category", None) else None
        region = region_of(code, containment()) if code else None
        if region is None:
            article.region = None
            continue
        topic = region_topic(region, topics)
        if topic is not None and topic.save_as not in planned.get(article.lang, set()):
            topic = None
        article.region = Region(region, region_name(region, article.lang), topic)


def register():
    signals.article_generator_finalized.connect(attach_regions)
