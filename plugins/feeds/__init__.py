"""Atom feeds per language site: all posts, each country and each topic, in full.

Every feed says its language (`xml:lang`), names each entry's author, and uses absolute
addresses throughout, so that feed readers and partner sites can use it as it is. Each
holds the newest FEED_MAX_ITEMS posts (Pelican's setting).
"""

import datetime
import os
from collections import defaultdict

from country_names import country_label
from feedgenerator import Atom1Feed, get_tag_uri
from parallel.writing import write_or_queue
from pelican import signals
from pelican.generators import Generator
from pelican.utils import set_date_tzinfo
from site_urls import site_root
from strict.problems import settings_error
from ui_strings import ui_catalog
from ui_strings.topics import topic_names

SETTING = "FEEDS"
DEFAULTS = {"all": "feeds/all.atom.xml", "country": "feeds/country/{slug}.atom.xml", "topic": "feeds/topic/{slug}.atom.xml"}


def check_config(pelican):
    config = {**DEFAULTS, **pelican.settings.get(SETTING, {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"feeds: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    pelican.settings[SETTING] = config


class ReproducibleAtomFeed(Atom1Feed):
    """An empty feed says it was last updated at the epoch, not at build time, so that
    two builds of the same content are byte-identical."""

    def latest_post_date(self):
        if not self.items:
            return datetime.datetime.fromtimestamp(0, datetime.timezone.utc)
        return super().latest_post_date()


def atom_feed(items, *, title, lang, root, feed_url, page_url, subtitle=""):
    """An Atom feed of full posts in one language, every address absolute."""
    feed = ReproducibleAtomFeed(title=title, link=page_url, feed_url=feed_url, description=subtitle, language=lang,
                     subtitle=subtitle or None)  # fmt: skip
    for item in items:
        link = f"{root}/{item.url}"
        authors = getattr(item, "authors", [])
        feed.add_item(
            title=str(item.title),
            link=link,
            unique_id=get_tag_uri(link, item.date),
            description=item.get_summary(root),
            content=item.get_content(root),
            author_name=", ".join(a.name for a in authors) or None,
            pubdate=set_date_tzinfo(item.date, item.settings.get("TIMEZONE")),
            updateddate=set_date_tzinfo(getattr(item, "modified", item.date), item.settings.get("TIMEZONE")),
            categories=[country_label(item.category, lang, item.settings), *(t.name for t in getattr(item, "tags", []))],
        )
    return feed


def save_feed(feed, output_path, path):
    """Write a feed to `path` under the output folder, making its folders."""
    target = os.path.join(output_path, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as out:
        feed.write(out, "utf-8")


class FeedsGenerator(Generator):
    def generate_output(self, writer):
        settings = self.settings
        for lang, listing in self.context["LANGUAGE_LISTINGS"].items():
            prefix = "" if lang == settings["DEFAULT_LANG"] else f"{lang}/"
            newest_first = sorted((a for a in listing if a.lang == lang), key=lambda a: a.date, reverse=True)
            for path, label, items, page in self._feeds(lang, newest_first):
                if path:
                    # Full posts: a feed of the whole archive would be tens of megabytes.
                    items = items[: settings["FEED_MAX_ITEMS"]]
                    feed = f"{prefix}{path}"
                    write_or_queue(writer, feed, self._write, feed, items, label, lang, f"{prefix}{page}")

    def _feeds(self, lang, articles):
        """(path, title, posts, page) for the whole language site, each country and each topic."""
        config, gettext = self.settings[SETTING], ui_catalog(self.settings, lang).gettext
        countries, topics = defaultdict(list), defaultdict(list)
        for article in articles:
            for country in getattr(article, "countries", [article.category]):
                countries[(country.slug, country.name)].append(article)
            for tag in getattr(article, "tags", []):
                topics[(tag.slug, tag.name)].append(article)
        names = topic_names(self.settings).get(lang, {})
        yield config["all"], gettext("All posts"), articles, ""
        for (slug, name), items in sorted(countries.items()):
            label = country_label(name, lang, self.settings)
            yield config["country"].format(slug=slug), label, items, f"country/{slug}/"
        for (slug, name), items in sorted(topics.items()):
            yield config["topic"].format(slug=slug), names.get(name, name), items, f"topic/{slug}/"

    def _write(self, output_path, path, items, label, lang, page):
        root = site_root(self.settings)
        feed = atom_feed(items, title=f"{self.settings['SITENAME']}: {label}", lang=lang, root=root,
                         feed_url=f"{root}/{path}", page_url=f"{root}/{page}")  # fmt: skip
        save_feed(feed, output_path, path)


def add_generator(pelican):
    return FeedsGenerator


def register():
    signals.initialized.connect(check_config)
    signals.get_generators.connect(add_generator)
