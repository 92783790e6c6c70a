"""Settings for building the Tilmash site locally."""

import os
import sys

# Our plugins import each other's helpers (and plugins/site_urls.py): make them importable
# whatever order Pelican loads them in.
_PLUGINS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins")
if _PLUGINS_DIR not in sys.path:
    sys.path.insert(0, _PLUGINS_DIR)

AUTHOR = "Tilmash editors"
SITENAME = "Tilmash"
SITESUBTITLE = "Citizen media from Central Asia, in translation"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
# content/imported/ holds posts brought over from WordPress by `invoke import-wordpress`.
ARTICLE_PATHS = ["posts", "imported"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
THEME = "theme"

TIMEZONE = "Asia/Almaty"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"

# A post's country is stated in its metadata, never guessed from its folder.
USE_FOLDER_AS_CATEGORY = False

ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
CATEGORY_URL = "country/{slug}/"
CATEGORY_SAVE_AS = "country/{slug}/index.html"
CATEGORIES_URL = "country/"
CATEGORIES_SAVE_AS = "country/index.html"
TAG_URL = "topic/{slug}/"
TAG_SAVE_AS = "topic/{slug}/index.html"
TAGS_URL = "topic/"
TAGS_SAVE_AS = "topic/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
AUTHORS_URL = "author/"
AUTHORS_SAVE_AS = "author/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
# 404.html at the root is where most static hosts look for the not-found page.
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives", "search", "404", "mirrors"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
# Where else the site can be read (PUBLISH_TARGETS in publishconf.py); plugins/mirror_sites.
MIRRORS_URL = "mirrors/"
MIRRORS_SAVE_AS = "mirrors/index.html"

# Pagefind (run by `invoke build` after Pelican) indexes each language site's posts: the pages
# under a year and month ("pages", in the language's folder). List pages only repeat summaries.
# It holds what it indexes in memory, so a language's posts are indexed in parts of at most
# "pages_per_part" posts (whole months), which its search page merges.
SEARCH_INDEX = {"pages": "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html", "pages_per_part": 2500}

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds need absolute addresses; locally they point at `invoke serve`.
FEED_DOMAIN = "http://127.0.0.1:8000"
# The feeds plugin writes every language's feeds (FEEDS); Pelican's own would mix languages.
# Each carries the newest posts in full; readers on slow connections fetch it again and again.
FEED_MAX_ITEMS = 30
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "codehilite", "guess_lang": False},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}
# The theme's CSS ships this Pygments style; `invoke pygments-css` regenerates it.
PYGMENTS_STYLE = "friendly"

JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "autoescape": True,
    # Templates do not change during a build: no file check on every render.
    "auto_reload": False,
    "trim_blocks": True,
    "lstrip_blocks": True,
}

# Builds use every core: Markdown is converted and pages are written in forked workers
# (plugins/parallel). {"workers": 1} builds in one process, as plain Pelican does.
PELICAN_CLASS = "parallel.ParallelPelican"
PARALLEL = {"workers": 0}

PLUGIN_PATHS = ["plugins"]
# `strict` comes first: it then also reports a plugin that fails to load.
PLUGINS = [
    "strict",
    "countries",
    "html_policy",
    "ui_strings",
    "source_lang",
    "translations",
    "people",
    "sitemap",
    "fragment_cache",
    "comments",
    "feeds",
    "sharing",
    "partners",
    "lead_image",
    "related",
    "regions",
    "mirror_sites",
    "desk",
]

# Partner networks that mirror our posts; a post names them with `Mirror: neweurasia`.
# `invoke mirror neweurasia` pushes to its WordPress; the credentials come from the
# environment (TILMASH_PARTNER_NEWEURASIA_USER, TILMASH_PARTNER_NEWEURASIA_PASSWORD).
PARTNERS = {
    "neweurasia": {
        "name": "neweurasia",
        "url": "https://neweurasia.example.net",
        "api": "https://neweurasia.example.net/wp-json/wp/v2",
        "status": "pending",
    },
}

# Raw HTML in posts is cleaned; what is removed is reported (an error with STRICT_HTML = True).
HTML_POLICY = {"embed_hosts": ["www.youtube-nocookie.com"]}
STRICT_HTML = False

# The comment thread under each post: Isso (self-hosted, pre-moderated) by default, loaded
# only when the reader presses "Show comments". `invoke comments` runs Isso locally.
COMMENTS = {
    "provider": "isso",
    "url": "http://127.0.0.1:8080/",
    "load": "click",
    "shared_thread": False,
}

# The languages of the site, the default first; each but the default lives under /<lang>/.
LANGUAGES = {
    "en": {},
    "ru": {},
    "kk": {},
    "ar": {},
}

# A language site lists its own posts, as Global Voices' language editions do, and its home
# page says how many recent posts are only in the default language ("note" lists those too,
# with a note). "sites" names the language sites whose list pages and feeds are built (None:
# all of LANGUAGES); ["en"] previews the English site alone. Every post and translation is written.
TRANSLATIONS = {
    "untranslated": "hide",
    "sites": None,
}

# A post's `Image:` is resized at build into these widths (never wider than the original), as
# WebP of this quality; the browser fetches the narrowest copy that fills the column.
LEAD_IMAGE = {"widths": [480, 800, 1200], "quality": 72}

# A profile per author and translator, content/authors/<slug>.md (translated ones with Lang:),
# shown on their page, author/<slug>/; the photo is resized to these widths.
PEOPLE = {"path": "authors", "photo_widths": [96, 192]}

# "Related stories" under each post: this many posts of its language site on its countries and topics.
RELATED = {"count": 3}

# Atom feeds of every language site: all posts, each country, each topic ("" turns one off).
FEEDS = {
    "all": "feeds/all.atom.xml",
    "country": "feeds/country/{slug}.atom.xml",
    "topic": "feeds/topic/{slug}.atom.xml",
}

# Metadata keys our plugins read; `strict` treats keys close to these as typos.
STRICT = {
    "metadata": [
        "translator",
        "translation-of",
        "translation-date",
        "mirror",
        "mirror-url",
        "comments",
        "type",
        "countries",
        "regions",
        "source-languages",
        "image",
        "image-caption",
        "image-credit",
        "image-alt",
        "photo",
        "languages",
        "links",
        "names",
    ],
    # A published post dated in the future: "warn" (reported) or "error" (fails the build).
    "future_dates": "warn",
    # Lists and quotes nested deeper than this fail the build with a clear message.
    "max_nesting": 40,
    # A larger post fails the build: past this, one post takes the build over its memory budget.
    "max_post_bytes": 12_000_000,
}

# Markdown is converted once per file and kept until the file changes: rebuilds read only
# what changed. Content objects are made anew each run, so every check still runs.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CACHE_PATH = ".pelican-cache"
CHECK_MODIFIED_METHOD = "mtime"
GZIP_CACHE = False

MENUITEMS = ()
DISPLAY_PAGES_ON_MENU = True
DISPLAY_CATEGORIES_ON_MENU = False

# Source-language markers after links: `[text](url) [ru]`.
SOURCE_LANG = {
    "legacy_markers": True,
    "hide_same_language": True,
    "format": "[{code}]",
}

# The authors' desk (Decap CMS) at /admin/ of local builds; `invoke desk` serves it with its
# local backend. publishconf.py leaves it out of the published site.
DESK = {"enabled": True, "path": "admin"}
