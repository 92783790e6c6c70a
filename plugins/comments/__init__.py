"""Comments: "Join the conversation", a moderated third-party thread loaded only on request.

Nothing is fetched from the comment host until the reader presses "Show comments"
(`theme/static/js/comments.js`); without JavaScript the reader gets a link to the
thread. The page's Content-Security-Policy names the provider's origins and no others.
"""

import os
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
    settings["CONTENT_SECURITY_POLICY"] = content_security_policy(settings[SETTING])


def thread_id(article, settings):
    """A thread identifier that survives a move to another host or subpath."""
    key = getattr(article, "original", article).slug
    if settings[SETTING]["shared_thread"] or article.lang == settings["DEFAULT_LANG"]:
        return key
    return f"{article.lang}/{key}"


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


def register():
    signals.initialized.connect(configure)
    signals.article_generator_finalized.connect(attach_threads)
    signals.article_writer_finalized.connect(write_headers_file)
