"""A post's HTML as a partner site receives it: absolute addresses, plain markers, attribution."""

import html
import re
from urllib.parse import urljoin

_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
_MARKER = re.compile(
    r'<span class="source-lang" title="(?P<name>[^"]*)"><span aria-hidden="true">(?P<code>[^<]*)</span>'
    r'<span class="visually-hidden">[^<]*</span></span>'
)


def absolute_addresses(fragment, page_url):
    """Every href and src made absolute against the page's own address."""
    return _URL_ATTRIBUTE.sub(lambda m: f'{m[1]}="{html.escape(urljoin(page_url, html.unescape(m[2])))}"', fragment)


def plain_markers(fragment):
    """Source-language markers that read right without our stylesheet: <abbr title="Russian">[ru]</abbr>."""
    return _MARKER.sub(lambda m: f'<abbr class="source-lang" title="{m["name"]}">{m["code"]}</abbr>', fragment)


def attribution(page_url, site_name, lines):
    """The closing paragraph every mirrored post carries; `lines` are translated plain text
    (a translator's name among them), escaped here, with {site} and {url} where those go."""
    link = f'<a href="{html.escape(page_url)}">{html.escape(site_name)}</a>'
    body = " ".join(html.escape(line).replace("{site}", link).replace("{url}", html.escape(page_url)) for line in lines)
    return f'<hr><p class="tilmash-attribution">{body}</p>'


def mirror_html(fragment, page_url, site_name, lines):
    return plain_markers(absolute_addresses(fragment, page_url)) + attribution(page_url, site_name, lines)
