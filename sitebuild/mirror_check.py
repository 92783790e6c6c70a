"""`invoke mirrors-check`: which build each address serves, so an editor sees a stale or blocked mirror.

Each address is asked, as a reader would ask it, for its home page, its sitemap and the build
stamp every publish leaves (`build.json`, see `mirrors.stamp`). `states` is pure: it compares
what the addresses answered with each other and with the content here.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from lxml import etree

from . import mirrors

_TIMEOUT = 20
_LIMIT = 20_000_000


@dataclass(frozen=True)
class Answer:
    url: str
    stamp: dict | None = None
    error: str = ""


def fetch(url, opener=urllib.request.urlopen):
    """What `url` serves: its stamp, once its home page and sitemap answered, or why not."""
    try:
        home = _get(f"{url}/", opener)
        if b"<html" not in home[:2048].lower():
            return Answer(url, error="its home page is not a page (a block page, or a host that serves another site?)")
        sitemap = etree.fromstring(_get(f"{url}/sitemap.xml", opener), etree.XMLParser(resolve_entities=False, no_network=True))
        locations = [loc.text or "" for loc in sitemap.iter("{*}loc")]
        if not locations or not all(loc.startswith(f"{url}/") for loc in locations):
            return Answer(url, error="its sitemap names other addresses than its own: it serves a build made for another host")
        stamp = json.loads(_get(f"{url}/{mirrors.STAMP}", opener))
    except (OSError, ValueError, etree.XMLSyntaxError) as error:
        return Answer(url, error=_reason(error))
    if not isinstance(stamp, dict) or not isinstance(stamp.get("content"), str):
        return Answer(url, error=f"its {mirrors.STAMP} is not a stamp Tilmash wrote")
    return Answer(url, stamp)


def _get(url, opener):
    request = urllib.request.Request(url, headers={"User-Agent": "tilmash mirrors-check"})
    with opener(request, timeout=_TIMEOUT) as response:
        return response.read(_LIMIT)


def _reason(error):
    if isinstance(error, urllib.error.HTTPError):
        return f"it answered {error.code} {error.reason} for {error.url}"
    if isinstance(error, urllib.error.URLError):
        return f"it cannot be reached: {error.reason}"
    return f"it cannot be read: {error}"


def states(answers, local_content):
    """(line per address, whether every address is current): current means serving the newest build
    any address serves; the newest is compared with the content here too."""
    stamped = [answer for answer in answers if answer.stamp]
    newest = max(stamped, key=lambda a: str(a.stamp.get("built", ""))).stamp if stamped else None
    lines, all_current = [], bool(answers)
    for answer in answers:
        if answer.error:
            lines.append(f"  NOT current: {answer.url}: {answer.error}")
            all_current = False
            continue
        built = f"built {answer.stamp.get('built', '(no date)')} from content {answer.stamp['content'][:12]}"
        if answer.stamp["content"] == newest["content"]:
            lines.append(f"  current: {answer.url}: {built}")
        else:
            lines.append(f"  NOT current: {answer.url}: {built}; others serve content {newest['content'][:12]} "
                         f"built {newest.get('built')}; publish to it again")  # fmt: skip
            all_current = False
    if newest and newest["content"] != local_content:
        lines.append(f"  (the newest build served is not of the content here, {local_content[:12]}: "
                     "unpublished changes, or another clone published)")  # fmt: skip
    return lines, all_current
