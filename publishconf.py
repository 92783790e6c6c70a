"""Settings for publishing: only what differs from pelicanconf.py."""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: E402, F403

# The public address; set TILMASH_SITEURL to publish elsewhere (a mirror, a staging host).
SITEURL = os.environ.get("TILMASH_SITEURL", "https://tilmash.example.org")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
# The main site: every mirror's pages name it as canonical (`invoke publish` builds each target
# with its own SITEURL, so that links, feeds and the sitemap stay on the mirror a reader uses).
CANONICAL_SITEURL = SITEURL

# Where `invoke publish` sends the site, besides TILMASH_PUBLISH_TARGET: name -> {"remote": an
# rclone destination ("remote:bucket/path" or a folder), or "rsync": "user@host:/path/", and
# "url": the address readers use there}. Credentials never go here: rclone reads them from its
# own config or from RCLONE_CONFIG_<REMOTE>_* variables. README, "Publishing", has an example.
PUBLISH_TARGETS = {}

# Drafts are never published: Pelican writes no page for them (`invoke build` previews them under drafts/).
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""

# The public comment server.
COMMENTS = {**COMMENTS, "url": os.environ.get("TILMASH_COMMENTS_URL", "https://comments.tilmash.example.org/")}  # noqa: F405

# A language may be served at a host of its own: TILMASH_HOST_RU=https://ru.example.org makes
# every address of the Russian site point there; serve output/ru/ as that host's root.
LANGUAGES = {  # noqa: F405
    lang: {**options, "host": os.environ[f"TILMASH_HOST_{lang.upper()}"]}
    if os.environ.get(f"TILMASH_HOST_{lang.upper()}") else options
    for lang, options in LANGUAGES.items()  # noqa: F405
}

# No desk on the published site. To publish one, enable it with a Git host's backend, whose
# login the editors use (no credential here): DESK = {**DESK, "enabled": True, "backend":
# {"name": "github", "repo": "org/tilmash", "branch": "main", "base_url": "https://auth.example.org"}}.
DESK = {**DESK, "enabled": False}  # noqa: F405
