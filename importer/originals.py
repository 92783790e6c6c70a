"""A post of a language edition matched to the original it translates, by the original's address.

Global Voices' language editions credit the original with a line such as "Originally published
on Global Voices" linking to it, or at least link to its address. The originals are the posts
imported before from the default-language site, whose addresses the import state keeps.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

_LINK = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)
# The credit line, as Global Voices' editions write it in English (many editions keep it so).
_CREDIT = re.compile(r"[^\n<>]*(?:originally published|original post|original article)[^\n]*", re.I)


def address_key(url):
    """An address as the same page's other spellings of it: no scheme, no www., no trailing slash."""
    parts = urlsplit(html.unescape(url.strip()))
    host = (parts.hostname or "").removeprefix("www.")
    post_id = parse_qs(parts.query).get("p")
    if post_id:  # https://site/?p=123, WordPress's short address
        return f"{host}/?p={post_id[0]}"
    return f"{host}{parts.path.rstrip('/')}".lower()


def find_original(content, originals):
    """(the original's state entry, its address, how it was found) or (None, address or "", why not).

    `originals` maps address_key(address) to the state entry of a post of the default language.
    """
    credit = _CREDIT.search(content)
    if credit:
        linked = _LINK.findall(credit[0])
        for url in linked:
            if address_key(url) in originals:
                return originals[address_key(url)], url, "its \"Originally published\" line"
        if linked:
            return None, linked[0], "its \"Originally published\" line links to a post that was not imported"
    for url in _LINK.findall(content):
        if address_key(url) in originals:
            return originals[address_key(url)], url, "a link to the original's address"
    return None, "", "it links to no imported post of the default language"
