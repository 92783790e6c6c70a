"""HTML policy: raw HTML in posts is cleaned with an allow-list (nh3), and removals are reported.

No script, no event handlers, no javascript: or data: addresses, no styles beyond table
alignment, iframes only from HTML_POLICY["embed_hosts"] and always sandboxed. With
STRICT_HTML = True every removal fails the build instead of being reported.
"""

from pelican import signals
from pelican.contents import Article, Page
from strict.checks import fragment_line
from strict.problems import notice, report, settings_error
from ui_strings import ui_catalog

from .embeds import deferred
from .policy import clean, removals

SETTING = "HTML_POLICY"
DEFAULTS = {"embed_hosts": ["www.youtube-nocookie.com"]}


def check_config(pelican):
    config = {**DEFAULTS, **pelican.settings.get(SETTING, {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"html_policy: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    if not isinstance(pelican.settings.get("STRICT_HTML", False), bool):
        settings_error("html_policy: STRICT_HTML must be True or False")
    pelican.settings[SETTING] = config


def sanitize(content):
    if not isinstance(content, Article | Page):
        return
    settings = content.settings
    hosts = set(settings[SETTING]["embed_hosts"])
    fragments = {"_content": content._content or "", "_summary": getattr(content, "_summary", None) or ""}
    cleaned = {name: clean(fragment, hosts) for name, fragment in fragments.items()}
    # Only what the allow-list changed can hold a removal; most posts come through unchanged.
    found = [item for name, fragment in fragments.items() if cleaned[name] != fragment
             for item in removals(fragment, hosts)]  # fmt: skip
    if found:
        path = content.source_path
        with open(path, encoding="utf-8-sig") as source:
            text = source.read()
        say = report if settings.get("STRICT_HTML") else notice
        for fragment, description in found:
            say(path, fragment_line(text, fragment), f"html_policy: removed {description}",
                "take it out of the post (or, for a video, embed it from an allowed host)")  # fmt: skip
    if any("<iframe" in text for text in cleaned.values()):
        gettext = ui_catalog(settings, content.lang).gettext

        def labels(host):
            return (gettext("Watch the video at %(host)s") % {"host": host},
                    gettext("Play it here (the video loads from %(host)s)") % {"host": host})  # fmt: skip

        cleaned = {name: deferred(text, labels) for name, text in cleaned.items()}
    # The text as read where nothing was removed: one copy in memory, shared with the reader cache.
    if content._content is None or cleaned["_content"] != fragments["_content"]:
        content._content = cleaned["_content"]
    if fragments["_summary"] and cleaned["_summary"] != fragments["_summary"]:
        content._summary = cleaned["_summary"]
        # Pelican answers `summary` from the metadata until it refreshes links, which may be after a plugin asked.
        if "summary" in content.metadata:
            content.metadata["summary"] = content._summary


def register():
    signals.initialized.connect(check_config)
    signals.content_object_init.connect(sanitize)
