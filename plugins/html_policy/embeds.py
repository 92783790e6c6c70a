"""Embedded videos wait for the reader: a page asks nothing of the video's host until they say so.

An `<iframe>` from an allowed host (already cleaned by `policy.clean`) becomes a link to the
video, which works without JavaScript, and a button that the theme's `embeds.js` turns into
the iframe when pressed. The page's Content-Security-Policy names the embed hosts in
`frame-src`, so the iframe then loads.
"""

import html
import re
from urllib.parse import urlsplit

from .policy import SANDBOX

# nh3 writes every attribute as name="value", with the value's quotes and ampersands escaped.
_IFRAME = re.compile(r"<iframe\b(?P<attributes>[^>]*)>\s*</iframe>", re.S)
_ATTRIBUTE = re.compile(r'([a-zA-Z][\w-]*)="([^"]*)"')
_YOUTUBE_EMBED = re.compile(r"/embed/(?P<id>[\w-]{6,})")
KEPT = ("width", "height", "title", "allow")


def watch_address(src):
    """Where a reader without JavaScript watches the video: YouTube's own page for its embeds."""
    parts = urlsplit(src)
    found = _YOUTUBE_EMBED.match(parts.path)
    if parts.hostname and "youtube" in parts.hostname and found:
        return f"https://www.youtube.com/watch?v={found['id']}"
    return src


def deferred(fragment, labels):
    """The fragment with each iframe replaced by a link and a button that loads it on request.

    `labels(host)` gives the (link text, button text) in the page's language.
    """

    def replace(match):
        attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(match["attributes"])}
        src = attributes.get("src", "")
        host = urlsplit(src).hostname or ""
        link, button = labels(host)
        data = "".join(f' data-embed-{name}="{html.escape(attributes[name])}"' for name in KEPT if name in attributes)
        return (f'<span class="embed" data-embed-src="{html.escape(src)}" data-embed-sandbox="{SANDBOX}"{data}>'
                f'<a class="embed-link" href="{html.escape(watch_address(src))}">{html.escape(link)}</a> '
                f'<button type="button" class="embed-button" hidden>{html.escape(button)}</button></span>')  # fmt: skip

    return _IFRAME.sub(replace, fragment)
