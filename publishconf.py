"""Settings for publishing: only what differs from pelicanconf.py."""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: E402, F403

# The public address; set TILMASH_SITEURL to publish elsewhere (a mirror, a staging host).
SITEURL = os.environ.get("TILMASH_SITEURL", "https://tilmash.example.org")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

# The public comment server.
COMMENTS = {**COMMENTS, "url": os.environ.get("TILMASH_COMMENTS_URL", "https://comments.tilmash.example.org/")}  # noqa: F405
