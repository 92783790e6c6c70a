"""Absolute addresses, for what leaves the page: feeds, sitemaps, sharing tags, comment threads."""


def site_root(settings):
    """SITEURL when it is absolute (publishing); else FEED_DOMAIN, the local server's address."""
    base = settings["SITEURL"] if settings["SITEURL"].startswith("http") else settings["FEED_DOMAIN"]
    return base.rstrip("/")


def absolute_url(settings, url):
    return f"{site_root(settings)}/{url}"
