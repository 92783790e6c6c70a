"""WordPress shortcodes, embeds and images as HTML the site keeps: figures, allowed iframes, links.

Works on a post's WordPress source, before it becomes Markdown. Every change is a `Finding`
(kind, a piece of the result to find its line by, what happened), so the report can name
each one; a shortcode it does not know stays as text and is a finding too.
"""

import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# WordPress's own shortcodes and the video ones of its popular plugins and of WordPress.com.
CONVERTED = ("caption", "wp_caption", "embed", "youtube", "vimeo", "gallery", "video", "audio")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|'([^']*)'|(\S+)""")
_SHORTCODE = re.compile(
    r"\[(?P<escaped>\[?)(?P<name>" + "|".join(CONVERTED) + r")(?![\w-])(?P<attrs>[^\]]*?)(?P<closed>/?)\]"
    r"(?:(?P<content>(?:(?!\[/?(?P=name)[\s\]=]).)*?)\[/(?P=name)\])?(?P<escaped_end>\]?)", re.S)  # fmt: skip
# Any other shortcode: a name with key=value attributes, or enclosing text up to its closing tag.
# A bare `[ru]` is a language marker, not a shortcode.
_OTHER = re.compile(r"\[(?P<name>[a-zA-Z_][\w-]*)(?P<attrs>\s+[^\]\n]*)?/?\]")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_TAG_ATTRIBUTE = re.compile(r"""([\w:-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_IFRAME = re.compile(r"<iframe\b[^>]*?(?:/>|>.*?</iframe>)", re.I | re.S)
_OBJECT = re.compile(r"<object\b.*?</object>|<embed\b[^>]*>(?:\s*</embed>)?", re.I | re.S)
_URL_IN = re.compile(r"""(?:src|value|data)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", re.I)
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"\[\]]+)[ \t]*$", re.M)
_YOUTUBE = re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:[^#\s\"']*?&(?:amp;)?)?v=|embed/|v/|shorts/)|youtu\.be/)([\w-]{11})")
_VIMEO = re.compile(r"vimeo\.com/(?:video/|channels/[\w-]+/)?(\d+)")
# Hosts WordPress embeds from a bare address (oEmbed); what Tilmash cannot embed becomes a link.
OEMBED_HOSTS = ("twitter.com", "x.com", "instagram.com", "facebook.com", "soundcloud.com", "flickr.com",
                "dailymotion.com", "ted.com", "tiktok.com", "slideshare.net", "scribd.com", "spotify.com")  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: str  # a heading of the report: "shortcodes converted", "embeds", "invented alts", …
    needle: str  # text of the converted post to find the line by
    what: str


def attributes(text):
    """A shortcode's attributes as WordPress's shortcode_parse_atts reads them; positional ones as 0, 1, …"""
    found, position = {}, 0
    # Values are unescaped once read: a caption="…" holds HTML written as &lt;a href=&quot;…&quot;&gt;.
    for match in _ATTRIBUTE.finditer(text.replace("\u00a0", " ").replace("&nbsp;", " ")):
        for key, value in ((match[1], match[2]), (match[3], match[4]), (match[5], match[6])):
            if key:
                found[key.lower()] = html.unescape(value)
                break
        else:
            found[position] = html.unescape(next(v for v in match.groups()[6:] if v is not None))
            position += 1
    return found


def tag_attributes(tag):
    inner = re.sub(r"^<\w+|/?>$", "", tag)
    return {m[1].lower(): html.unescape((m[2] or "").strip("\"'")) for m in _TAG_ATTRIBUTE.finditer(inner)}


def _tag(name, attrs, closing=""):
    rendered = "".join(f' {key}="{html.escape(value)}"' if value is not None else f" {key}" for key, value in attrs.items())
    return f"<{name}{rendered}>{closing}"


def plain(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


class Converter:
    """One post's conversion: the settings it needs, and what it found."""

    def __init__(self, attachments, embed_hosts, post_attachments=()):
        self.attachments = attachments
        self.embed_hosts = set(embed_hosts)
        self.post_attachments = list(post_attachments)
        self.findings = []

    def found(self, kind, needle, what):
        self.findings.append(Finding(kind, needle, what))

    def convert(self, content):
        content = _IFRAME.sub(lambda m: self._embedded(m[0]), content)
        content = _OBJECT.sub(lambda m: self._embedded(m[0]), content)
        content = _SHORTCODE.sub(self._shortcode, content)
        content = _BARE_URL_LINE.sub(self._bare_url, content)
        content = _IMG.sub(lambda m: self.with_alt(m[0]), content)
        for match in _OTHER.finditer(content):
            name = match["name"]
            if name.lower() not in CONVERTED and ("=" in (match["attrs"] or "") or f"[/{name}]" in content[match.end() :]):
                self.found("unknown shortcodes", match[0], f"unknown shortcode {match[0][:60]} kept as text; "
                           "replace it by hand (WordPress showed what a plugin made of it)")  # fmt: skip
        return content

    # Shortcodes

    def _shortcode(self, match):
        if match["escaped"] and match["escaped_end"]:  # [[caption]] is WordPress's way to write "[caption]"
            return match[0][1:-1]
        name, attrs, content = match["name"], attributes(match["attrs"]), match["content"] or ""
        converted = getattr(self, f"_{name.removeprefix('wp_')}")(attrs, content.strip())
        if converted is None:
            self.found("unknown shortcodes", match[0], f"[{name}] could not be converted ({match[0][:60]}); kept as text")
            return match[0]
        self.found("shortcodes converted", _first_address(converted), f"[{name}] → {_kind(converted)}")
        return converted

    def _caption(self, attrs, content):
        image = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", content, re.S | re.I)
        if not image:
            return None
        caption = " ".join((attrs.get("caption") or image[2]).split())
        classes = " ".join(filter(None, ["wp-caption", attrs.get("align", "")]))
        figure = self.with_alt(" ".join(image[1].split()), caption)
        return f'\n\n<figure class="{html.escape(classes)}">{figure}<figcaption>{caption}</figcaption></figure>\n\n'

    def _gallery(self, attrs, _content):
        ids = [i.strip() for i in (attrs.get("ids") or attrs.get("include") or "").split(",") if i.strip()]
        chosen = [self.attachments.get(i) for i in ids] if ids else self.post_attachments
        figures = []
        for wanted, attachment in zip(ids or [a.wp_id for a in chosen], chosen, strict=True):
            if attachment is None:
                self.found("unknown shortcodes", f"ids={attrs.get('ids', '')}"[:40],
                           f"[gallery]: attachment {wanted} is not in the export; it is left out")  # fmt: skip
                continue
            image = self.with_alt(_tag("img", {"src": attachment.url, "alt": attachment.alt}), attachment.caption,
                                  attachment.title)  # fmt: skip
            caption = f"<figcaption>{' '.join(attachment.caption.split())}</figcaption>" if attachment.caption else ""
            figures.append(f'<figure class="gallery-item">{image}{caption}</figure>')
        return "\n\n" + "\n\n".join(figures) + "\n\n" if figures else None

    def _embed(self, attrs, content):
        return self.video(content or attrs.get("src") or attrs.get(0, ""), always=True)

    def _youtube(self, attrs, content):
        value = content or attrs.get(0, "") or attrs.get("id", "")
        value = value.lstrip("=")  # WordPress.com writes [youtube=http://…]
        if re.fullmatch(r"[\w-]{11}", value):
            value = f"https://www.youtube.com/watch?v={value}"
        return self.video(value, always=True)

    def _vimeo(self, attrs, content):
        value = content or attrs.get(0, "") or attrs.get("id", "")
        return self.video(f"https://vimeo.com/{value}" if value.isdigit() else value, always=True)

    def _video(self, attrs, _content):
        source = attrs.get("src") or next((attrs[k] for k in ("mp4", "webm", "ogv", "m4v", "flv") if attrs.get(k)), "")
        return self.video(source, always=True)

    _audio = _video

    # Embeds

    def video(self, url, always=False):
        """An embed of an allowed host for a YouTube or Vimeo address, else a link (or None, unless `always`)."""
        url = html.unescape(url.strip())
        if url.startswith("//"):
            url = "https:" + url
        if not url.startswith(("http://", "https://")):
            return None
        youtube, vimeo = _YOUTUBE.search(url), _VIMEO.search(url)
        if youtube:
            host = next((h for h in ("www.youtube-nocookie.com", "www.youtube.com") if h in self.embed_hosts), None)
            embed = host and (f"https://{host}/embed/{youtube[1]}", "YouTube video")
            url = f"https://www.youtube.com/watch?v={youtube[1]}"
        elif vimeo:
            embed = "player.vimeo.com" in self.embed_hosts and (f"https://player.vimeo.com/video/{vimeo[1]}", "Vimeo video")
            url = f"https://vimeo.com/{vimeo[1]}"
        elif always or urlsplit(url).hostname and urlsplit(url).hostname.removeprefix("www.") in OEMBED_HOSTS:
            embed = None
        else:
            return None
        if embed:
            iframe = _tag("iframe", {"src": embed[0], "title": embed[1], "width": "560", "height": "315",
                                     "allowfullscreen": None}, "</iframe>")  # fmt: skip
            self.found("embeds", embed[0], f"{url} → an embed from {urlsplit(embed[0]).hostname}")
            return f'\n\n<figure class="embed">{iframe}</figure>\n\n'
        self.found("embeds as links", url, f"{url} → a link ({urlsplit(url).hostname} is not an allowed embed host)")
        return f'\n\n<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>\n\n'

    def _embedded(self, markup):
        """An <iframe>, <object> or <embed> of the post: an allowed embed, a link, or (with no address) reported."""
        source = _URL_IN.search(markup)
        if not source:
            self.found("removed", markup[:40], f"{markup[:60]}… has no address and was left out")
            return ""
        url = html.unescape(source[1])
        parts = urlsplit("https:" + url if url.startswith("//") else url)
        if parts.scheme == "https" and parts.hostname in self.embed_hosts and not _YOUTUBE.search(url):
            iframe = _tag("iframe", {"src": parts.geturl(), "title": tag_attributes(markup).get("title") or parts.hostname,
                                     "width": "560", "height": "315"}, "</iframe>")  # fmt: skip
            self.found("embeds", parts.geturl(), f"an <iframe> from {parts.hostname} kept")
            return f'\n\n<figure class="embed">{iframe}</figure>\n\n'
        return self.video(url, always=True)

    def _bare_url(self, match):
        """WordPress embeds an address alone on its line; Tilmash embeds videos and links the rest."""
        return self.video(match[1]) or match[0]

    # Images

    def with_alt(self, markup, caption="", title=""):
        """An <img> (possibly in a link) with an alt text: its own, or one made from what is known, reported."""
        tag = _IMG.search(markup)
        if not tag:
            return markup
        attrs = tag_attributes(tag[0])
        if attrs.get("alt", "").strip():
            return markup
        attachment = next((self.attachments.get(m) for m in re.findall(r"wp-image-(\d+)", attrs.get("class", ""))), None)
        candidates = [("the media library", attachment.alt if attachment else ""), ("the caption", plain(caption)),
                      ("the image's title", attrs.get("title", "") or title),
                      ("the media library's title", attachment.title if attachment else ""),
                      ("the file name", _file_name(attrs.get("src", "")))]  # fmt: skip
        source, alt = next(((s, a) for s, a in candidates if a.strip()), ("nothing", ""))
        if not alt:
            return markup
        attrs["alt"] = alt
        kept = {k: v for k, v in attrs.items() if k in ("src", "alt", "title", "width", "height")}
        self.found("invented alts", attrs.get("src", ""), f'alt "{alt}" from {source} for {attrs.get("src", "")}')
        return markup[: tag.start()] + _tag("img", kept) + markup[tag.end() :]


def _file_name(src):
    name = posixpath.basename(unquote(urlsplit(src).path))
    name = re.sub(r"-\d+x\d+$", "", posixpath.splitext(name)[0])  # WordPress's resized copies: photo-300x200.jpg
    return " ".join(re.split(r"[-_+\s]+", name)).strip()


def _first_address(fragment):
    found = re.search(r'src="([^"]+)"', fragment) or re.search(r'href="([^"]+)"', fragment)
    return html.unescape(found[1]) if found else fragment.strip()[:40]


def _kind(fragment):
    if "<iframe" in fragment:
        return "an embed"
    figures = fragment.count("<figure")
    return "a link" if not figures else "a figure" if figures == 1 else f"{figures} figures"
