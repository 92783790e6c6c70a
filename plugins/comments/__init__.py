"""Comments: "Join the conversation", a moderated third-party thread loaded only on request.

Nothing is fetched from the comment host until the reader presses "Show comments"
(`theme/static/js/comments.js`); without JavaScript the reader gets a link to the
thread. The page's Content-Security-Policy names the provider's origins and no others.
"""

import os
from html import escape
from urllib.parse import urlsplit

from pelican import signals
from site_urls import absolute_url
from strict.checks import metadata_line
from strict.problems import report, settings_error

from .providers import REQUIRED, content_security_policy, embed

SETTING = "COMMENTS"
COMMON = {"provider": "isso", "load": "click", "shared_thread": False}
MODES = ("open", "closed", "off")


def check_config(settings):
    """The COMMENTS dict with defaults, or a clear error."""
    config = {**COMMON, **settings.get(SETTING, {})}
    provider = config["provider"]
    if provider not in REQUIRED:
        settings_error(f"comments: unknown provider {provider!r} in {SETTING}; choose one of {sorted(REQUIRED)}")
    known = set(COMMON) | {key for keys in REQUIRED.values() for key in keys}
    unknown = sorted(set(config) - known)
    if unknown:
        settings_error(f"comments: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(known)}")
    missing = [key for key in REQUIRED[provider] if not config.get(key)]
    if missing:
        settings_error(f"comments: {provider} needs {missing} in {SETTING}")
    if config["load"] not in ("click", "page"):
        settings_error(f'comments: {SETTING}["load"] must be "click" or "page"')
    return config


def configure(pelican):
    settings = pelican.settings
    settings[SETTING] = check_config(settings)
    embed_hosts = settings.get("HTML_POLICY", {}).get("embed_hosts", [])
    settings["CONTENT_SECURITY_POLICY"] = content_security_policy(settings[SETTING], embed_hosts)


def thread_id(article, settings):
    """A thread identifier that survives a move to another host or subpath: `/comments/<slug>/`.

    It is a path, as Isso takes a thread's to be (its moderation mail links to the site's
    origin followed by it, and `isso import` keeps a link's path): `redirect_pages` puts a
    page there that sends the reader on to the post.
    """
    key = getattr(article, "original", article).slug
    if settings[SETTING]["shared_thread"] or article.lang == settings["DEFAULT_LANG"]:
        return thread_path(key)
    return thread_path(key, article.lang)


def thread_path(slug, lang=None):
    """The thread of a post by its (original's) slug, and the language of a translation."""
    return f"/comments/{lang}/{slug}/" if lang else f"/comments/{slug}/"


def attach_threads(generator):
    settings = generator.settings
    config = settings[SETTING]
    for article in [*generator.articles, *generator.translations, *generator.drafts]:
        mode = str(article.metadata.get("comments", "open")).strip().lower()
        if mode not in MODES:
            path = article.source_path
            report(path, metadata_line(path, "comments"), f'Comments: "{mode}" is not a comments mode',
                   'write "Comments: open", "closed" or "off"')  # fmt: skip
            continue
        if mode == "off":
            article.comment_thread = None
            continue
        thread = {"id": thread_id(article, settings), "url": absolute_url(settings, article.url),
                  "title": article.title, "lang": article.lang}  # fmt: skip
        markup = embed(config, thread)
        article.comment_thread = {"mode": mode, "load": config["load"], "provider": config["provider"],
                                  "host": urlsplit(markup["script"]).netloc, **markup}  # fmt: skip


def write_headers_file(generator, writer):
    """`_headers` for hosts that read one (Netlify, Cloudflare Pages): the same CSP as the pages."""
    with open(os.path.join(writer.output_path, "_headers"), "w", encoding="utf-8") as headers:
        headers.write(f"/*\n  Content-Security-Policy: {generator.settings['CONTENT_SECURITY_POLICY']}\n")


def redirect_page(thread, article_url, hosted_lang=None):
    """Where the page for a thread id goes (relative to the output folder) and its HTML.

    A language with a host of its own has its folder as that host's root: its thread pages
    go there, and its post's address loses the language prefix.
    """
    path = thread.strip("/")
    target = article_url.removeprefix(f"{hosted_lang}/") if hosted_lang else article_url
    relative = "../" * len(path.split("/")) + target
    folder = f"{hosted_lang}/{path}" if hosted_lang else path
    page = (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{escape(target)}</title>'
            f'<meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url={escape(relative)}">'
            f'</head><body><p><a href="{escape(relative)}">{escape(target)}</a></p></body></html>\n')  # fmt: skip
    return f"{folder}/index.html", page


def write_redirect_pages(generator, writer):
    """A page at each thread's id that leads to its post, for the links in Isso's moderation mail."""
    settings = generator.settings
    hosted = {lang for lang, options in settings.get("LANGUAGES", {}).items() if options.get("host")}
    shared = settings[SETTING]["shared_thread"]
    for article in [*generator.articles, *generator.translations]:
        if not getattr(article, "comment_thread", None) or (shared and article.lang != settings["DEFAULT_LANG"]):
            continue
        lang = article.lang if article.lang in hosted else None
        relative_path, page = redirect_page(thread_id(article, settings), article.url, lang)
        path = os.path.join(writer.output_path, relative_path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            with open(path, "w", encoding="utf-8") as out:
                out.write(page)
        except OSError as error:  # a full disk names the file, as for every page the writer writes
            raise OSError(error.errno, error.strerror, path) from error


def register():
    signals.initialized.connect(configure)
    signals.article_generator_finalized.connect(attach_threads)
    signals.article_writer_finalized.connect(write_headers_file)
    signals.article_writer_finalized.connect(write_redirect_pages)
