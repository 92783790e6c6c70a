"""Comment providers: their embed markup and the origins a page must allow for them."""

import functools
import json
from pathlib import Path
from urllib.parse import quote, urlsplit

# What each provider needs in COMMENTS, besides "provider".
REQUIRED = {
    "isso": ["url"],
    "disqus": ["shortname"],
    "giscus": ["repo", "repo_id", "category", "category_id"],
    "remark42": ["url", "site_id"],
}


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@functools.cache
def isso_catalogues():
    """Isso's interface strings for the languages its embed script lacks (isso_strings.json)."""
    data = json.loads((Path(__file__).with_name("isso_strings.json")).read_text(encoding="utf-8"))
    return {lang: strings for lang, strings in data.items() if not lang.startswith("_")}


def isso_language(lang):
    """The attributes that make Isso speak `lang`: its own catalogue, or ours in place of English."""
    primary = lang.split("-")[0]
    strings = isso_catalogues().get(primary)
    if strings is None:
        return {"data-isso-lang": lang}
    return {"data-isso-lang": "en", **{f"data-isso-{key}-text-en": text for key, text in strings.items()}}


def embed(config, thread):
    """What the page's script needs to load the thread: script, attributes, page facts.

    `thread` has the stable thread `id`, the page's `url`, `title` and `lang`.
    """
    provider = config["provider"]
    if provider == "isso":
        endpoint = config["url"].rstrip("/")
        return {
            "script": f"{endpoint}/js/embed.min.js",
            # Isso's own stylesheet and identicons are left out: the theme styles the thread.
            "script_attributes": {"data-isso": f"{endpoint}/", **isso_language(thread["lang"]),
                                  "data-isso-vote": "false", "data-isso-gravatar": "false",
                                  "data-isso-css": "false", "data-isso-avatar": "false"},  # fmt: skip
            "container": {"id": "isso-thread", "data-isso-id": thread["id"], "data-title": thread["title"]},
            "thread_url": f"{endpoint}/?uri={quote(thread['id'], safe='')}",
        }
    if provider == "disqus":
        return {
            "script": f"https://{config['shortname']}.disqus.com/embed.js",
            "script_attributes": {"data-timestamp": "0"},
            "container": {"id": "disqus_thread"},
            "page": {"url": thread["url"], "identifier": thread["id"], "title": thread["title"],
                     "language": thread["lang"].replace("-", "_")},  # fmt: skip
            "thread_url": f"https://disqus.com/home/discussion/{config['shortname']}/",
        }
    if provider == "giscus":
        return {
            "script": "https://giscus.app/client.js",
            "script_attributes": {
                "data-repo": config["repo"], "data-repo-id": config["repo_id"],
                "data-category": config["category"], "data-category-id": config["category_id"],
                "data-mapping": "specific", "data-term": thread["id"], "data-strict": "1",
                "data-reactions-enabled": "0", "data-emit-metadata": "0", "data-input-position": "top",
                "data-theme": "light", "data-lang": thread["lang"], "crossorigin": "anonymous",
            },  # fmt: skip
            "container": {"class": "giscus"},
            "thread_url": f"https://github.com/{config['repo']}/discussions?discussions_q={quote(thread['id'])}",
        }
    if provider == "remark42":
        host = config["url"].rstrip("/")
        return {
            "script": f"{host}/web/embed.js",
            "script_attributes": {},
            "container": {"id": "remark42"},
            "page": {"host": host, "site_id": config["site_id"], "url": thread["id"],
                     "page_title": thread["title"], "locale": thread["lang"], "components": ["embed"]},  # fmt: skip
            "thread_url": f"{host}/web/last-comments.html?site_id={quote(config['site_id'])}",
        }
    raise ValueError(f"unknown comment provider {provider!r}")


def allowed_origins(config):
    """CSP sources by directive that the configured provider needs, and no others."""
    provider = config["provider"]
    if provider == "isso":
        host = origin(config["url"])
        return {"script-src": [host], "connect-src": [host], "img-src": [host]}
    if provider == "disqus":
        forum = f"https://{config['shortname']}.disqus.com"
        sources = [forum, "https://disqus.com", "https://c.disquscdn.com"]
        return {"script-src": sources, "connect-src": sources, "img-src": sources, "frame-src": sources,
                "style-src": ["https://c.disquscdn.com"]}  # fmt: skip
    if provider == "giscus":
        return {"script-src": ["https://giscus.app"], "frame-src": ["https://giscus.app"]}
    if provider == "remark42":
        host = origin(config["url"])
        return {"script-src": [host], "connect-src": [host], "frame-src": [host], "img-src": [host]}
    raise ValueError(f"unknown comment provider {provider!r}")


def content_security_policy(config, frame_hosts=()):
    """The page's CSP: our own origin, plus exactly the provider's origins (if comments are on)
    and the hosts of embedded videos (which load only when the reader asks: `html_policy`)."""
    extra = allowed_origins(config) if config else {}
    if frame_hosts:
        extra = {**extra, "frame-src": [*extra.get("frame-src", []), *(f"https://{host}" for host in sorted(frame_hosts))]}
    directives = {
        "default-src": ["'self'"],
        # Pagefind's search runs WebAssembly.
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        # Isso and Disqus insert <style> elements of their own.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    for directive, sources in extra.items():
        kept = [s for s in directives[directive] if s != "'none'"]
        directives[directive] = kept + [s for s in sources if s not in kept]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
