"""Mirrors readers can find: the addresses the site is published at (PUBLISH_TARGETS), the main one
first, in every page's footer and on the page /mirrors/, so a reader whose host is blocked has another."""

import re
from urllib.parse import urlsplit

from pelican import signals


# Characters that no address written by hand needs, and that would end an attribute or a line.
_UNSAFE = re.compile(r"[\s\"'<>\\`{}|^]")


def is_public_address(url):
    """An http(s) address of a host, with no credentials, query or fragment to leak or to inject."""
    parts = urlsplit(url) if isinstance(url, str) and not _UNSAFE.search(url) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.hostname
                and not (parts.query or parts.fragment or parts.username or parts.password))  # fmt: skip


def mirror_addresses(settings):
    """Every address of PUBLISH_TARGETS once, the canonical (main) site's first; none that is not an address."""
    canonical = str(settings.get("CANONICAL_SITEURL") or settings.get("SITEURL") or "").rstrip("/")
    targets = settings.get("PUBLISH_TARGETS") or {}
    urls = [str(options.get("url", "")).rstrip("/") for options in targets.values() if isinstance(options, dict)]
    found = list(dict.fromkeys(url for url in urls if is_public_address(url)))
    return sorted(found, key=lambda url: url != canonical)


def install(generator):
    generator.env.globals["mirror_addresses"] = mirror_addresses(generator.settings)


def register():
    signals.generator_init.connect(install)
