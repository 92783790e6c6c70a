"""Partner sites: "Also posted on neweurasia", a full-content feed per partner and language,
and the state of pushes to the partners' WordPress (see `push.py` and `invoke mirror`).

A post names its partners with `Mirror: neweurasia`; PARTNERS configures each one.
"""

import json
import os

from pelican import signals
from pelican.generators import Generator
from site_urls import absolute_url, site_root
from ui_strings import ui_catalog
from strict.checks import address_problem, listed, metadata_line
from strict.problems import report, settings_error

from feeds import atom_feed, save_feed
from parallel.writing import write_or_queue

from .mirror_html import mirror_html

SETTING = "PARTNERS"
PARTNER_KEYS = {"name", "url", "api", "status"}
FEED = "feeds/partners/{partner}.{lang}.atom.xml"
STATE_FOLDER = "mirrors"


def check_config(pelican):
    partners = pelican.settings.get(SETTING, {})
    for key, partner in partners.items():
        unknown = sorted(set(partner) - PARTNER_KEYS)
        if unknown:
            settings_error(f"partners: unknown key(s) {unknown} in {SETTING}[{key!r}]; known: {sorted(PARTNER_KEYS)}")
        if not partner.get("url", "").startswith(("http://", "https://")):
            settings_error(f"partners: {SETTING}[{key!r}] needs a \"url\", the partner site's address")
        if partner.get("status", "pending") not in ("pending", "draft"):
            settings_error(f'partners: {SETTING}[{key!r}]["status"] must be "pending" or "draft"')


def state_path(settings, partner):
    """Where pushes record, per post, the partner's post id, content hash and address."""
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.join(root, settings.get("PARTNERS_STATE", STATE_FOLDER), f"{partner}.json")


def read_state(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as state:
        return json.load(state)


def attach_partners(generator):
    """Each post's partners, with the address of its copy there once one is known."""
    settings = generator.settings
    partners = settings.get(SETTING, {})
    states = {key: read_state(state_path(settings, key)) for key in partners}
    for article in [*generator.articles, *generator.translations, *generator.drafts]:
        names = listed(article.metadata, "mirror")
        article.partner_copies = []
        given = article.metadata.get("mirror-url")
        problem = address_problem(str(given)) if given is not None else None
        if problem:
            path = article.source_path
            report(path, metadata_line(path, "mirror-url"), f"Mirror-url: {problem}",
                   "write the address of the post's copy on the partner site, https://…")  # fmt: skip
        for name in names:
            if name not in partners:
                path = article.source_path
                known = ", ".join(partners) or "none configured"
                report(path, metadata_line(path, "mirror"), f'Mirror: "{name}" is not a partner',
                       f"use one of PARTNERS ({known}), or add it to PARTNERS in pelicanconf.py")  # fmt: skip
                continue
            link = given or states[name].get(article.url, {}).get("link")
            # The recorded link is what the partner's WordPress answered: written only if it is a web address.
            link = link if isinstance(link, str) and address_problem(link) is None else None
            # Until the copy's address is known, the note links the partner's site (validated at start).
            article.partner_copies.append({"name": partners[name].get("name", name), "url": link,
                                           "site": partners[name]["url"]})  # fmt: skip


class PartnerFeedsGenerator(Generator):
    """A full-content Atom feed per partner and language, ready to mirror."""

    def generate_output(self, writer):
        for key, partner in self.settings.get(SETTING, {}).items():
            for lang, listing in self.context["LANGUAGE_LISTINGS"].items():
                items = [a for a in listing if a.lang == lang and key in listed(a.metadata, "mirror")]
                path = FEED.format(partner=key, lang=lang)
                write_or_queue(writer, path, self._write, path, items, partner.get("name", key), lang)

    def _write(self, output_path, path, items, partner_name, lang):
        settings, gettext = self.settings, ui_catalog(self.settings, lang).gettext
        feed = atom_feed([_Mirrored(a, settings, gettext) for a in items], lang=lang, root=site_root(settings),
                         title=f"{settings['SITENAME']} → {partner_name}",
                         feed_url=absolute_url(settings, path), page_url=absolute_url(settings, ""))  # fmt: skip
        save_feed(feed, output_path, path)


class _Mirrored:
    """An article seen through a partner feed: the same facts, the content ready for mirroring."""

    def __init__(self, article, settings, gettext):
        self._article = article
        url = absolute_url(settings, article.url)
        lines = [gettext("This post first appeared on {site}.")]
        if getattr(article, "translator_name", None):
            lines.append(gettext("Translated by %(translator)s.") % {"translator": article.translator_name})
        lines.append(gettext('Mirrors: please point rel="canonical" to {url}'))
        self._content = mirror_html(article.get_content(site_root(settings)), url, settings["SITENAME"], lines)

    def __getattr__(self, name):
        return getattr(self._article, name)

    def get_content(self, siteurl):
        return self._content


def add_generator(pelican):
    return PartnerFeedsGenerator


def register():
    signals.initialized.connect(check_config)
    signals.article_generator_finalized.connect(attach_partners)
    signals.get_generators.connect(add_generator)
