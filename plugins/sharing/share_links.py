"""Share links: plain addresses of each service's own share page, no script of theirs.

Nothing is fetched from these services unless the reader follows a link. Every value put
into an address is percent-encoded, so a title with `&`, `#`, quotes or markup stays text.
"""

from urllib.parse import quote

# (service, address with {url} and {title}); "email" is named in the reader's language by the theme.
SERVICES = (
    ("email", "mailto:?subject={title}&body={url}"),
    ("Telegram", "https://t.me/share/url?url={url}&text={title}"),
    ("WhatsApp", "https://wa.me/?text={title}%20{url}"),
    ("X", "https://x.com/intent/post?url={url}&text={title}"),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("VK", "https://vk.com/share.php?url={url}&title={title}"),
)


def share_links(url, title):
    """(service, address) for each service, the post's absolute `url` and plain-text `title` encoded."""
    values = {"url": quote(url, safe=""), "title": quote(title, safe="")}
    return [(service, template.format(**values)) for service, template in SERVICES]
