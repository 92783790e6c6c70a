"""sitemap.xml: every page of every language, each translated URL with its alternates."""

import logging
import os
from xml.etree import ElementTree

from parallel.writing import write_or_queue
from pelican import signals
from site_urls import site_root

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(entries, base_url):
    """The sitemap for (url, lastmod, [(lang, url)]) entries with site-relative URLs."""
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    urlset = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    for url, lastmod, alternates in entries:
        element = ElementTree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(element, f"{{{SITEMAP_NS}}}loc").text = f"{base_url}/{url}"
        if lastmod:
            ElementTree.SubElement(element, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.date().isoformat()
        for lang, alternate in alternates:
            attributes = {"rel": "alternate", "hreflang": lang, "href": f"{base_url}/{alternate}"}
            ElementTree.SubElement(element, f"{{{XHTML_NS}}}link", attributes)
    ElementTree.indent(urlset)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(urlset, encoding="utf-8")


def _entries(context):
    contents = [*context.get("articles", []), *context.get("translations", []), *context.get("pages", [])]
    seen = set()
    order = list(context.get("LANGUAGES") or [context["DEFAULT_LANG"]])

    def in_language_order(versions):
        # Pelican lists a page's translations in the order its files were read, which a parallel read changes.
        return sorted(versions, key=lambda v: (order.index(v.lang) if v.lang in order else len(order), v.url))

    for content in contents:
        for item in in_language_order([content, *getattr(content, "translations", [])]):
            if item.url in seen or getattr(item, "status", "published") != "published":
                continue
            seen.add(item.url)
            versions = [item, *in_language_order(item.translations)]
            alternates = [(v.lang, v.url) for v in versions] if len(versions) > 1 else []
            yield item.url, getattr(item, "modified", None) or getattr(item, "date", None), alternates
    for lang in context.get("LANGUAGES") or [context["DEFAULT_LANG"]]:
        home = "" if lang == context["DEFAULT_LANG"] else f"{lang}/"
        if home not in seen:
            seen.add(home)
            yield home, None, []


def write_sitemap(generator, writer):
    write_or_queue(writer, "sitemap.xml", _save, generator.context, generator.settings)


def _save(output_path, context, settings):
    with open(os.path.join(output_path, "sitemap.xml"), "wb") as sitemap:
        sitemap.write(sitemap_xml(_entries(context), site_root(settings)))


def register():
    signals.article_writer_finalized.connect(write_sitemap)
