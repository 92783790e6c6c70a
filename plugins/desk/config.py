"""The desk's Decap CMS configuration, made from the site's settings (pure: settings in, dict out).

The file Decap reads is `admin/config.yml`; it is written as JSON, which YAML reads too and
the desk's own script parses without a YAML library. Country options are CLDR's main English
names (what `Category:` holds); `countries.json` gives the desk each one's name in the
editor's language.
"""

import json

from country_names import NAMES

# The keys a post's metadata has in the desk, in the order a new post writes them.
STATUSES = ("draft", "published")
COMMENTS = ("open", "closed", "off")
MARKER_HELP = (
    "Markdown. After a link to a source in another language write its language code in brackets: "
    "[a letter](https://example.kz/letter) [ru]. The build checks the code; [kk], [uz], [ky], [tg] work alike."
)


def _optional(field):
    return {**field, "required": False}


def _select(name, label, options, **extra):
    return {"name": name, "label": label, "widget": "select", "options": list(options), **extra}


def cldr_countries():
    """{code: {lang: [main name, other names…]}} as `invoke cldr-countries` wrote it."""
    return json.loads(NAMES.read_text(encoding="utf-8"))["countries"]


def country_options(countries):
    """Every CLDR country as a select option: its main English name, which `Category:` holds."""
    names = sorted({names["en"][0] for names in countries.values()}, key=str.casefold)
    return [{"label": name, "value": name} for name in names]


def country_labels(countries, languages):
    """{lang: {English name: that language's CLDR name}} for the desk's country labels."""
    return {lang: {names["en"][0]: names[lang][0] for names in countries.values() if names.get(lang)}
            for lang in languages}  # fmt: skip


def post_fields(settings, countries):
    partners = sorted(settings.get("PARTNERS", {}))
    return [
        {"name": "title", "label": "Title", "widget": "string", "hint": "Country: what bloggers are saying"},
        {"name": "date", "label": "Date", "widget": "datetime", "format": "YYYY-MM-DD HH:mm",
         "date_format": "YYYY-MM-DD", "time_format": "HH:mm"},
        _select("category", "Country", country_options(countries)),
        _optional({"name": "tags", "label": "Topics", "widget": "string", "hint": "comma-separated: Media, Politics"}),
        {"name": "author", "label": "Author", "widget": "string"},
        _optional({"name": "summary", "label": "Summary", "widget": "text"}),
        _optional({"name": "image", "label": "Lead image", "widget": "image"}),
        _optional({"name": "image-caption", "label": "Image caption", "widget": "string"}),
        _optional({"name": "image-credit", "label": "Image credit", "widget": "string"}),
        _optional(_select("mirror", "Mirror to partner", partners)),
        _optional(_select("comments", "Comments", COMMENTS)),
        _select("status", "Status", STATUSES, default="draft"),
        {"name": "body", "label": "Text", "widget": "markdown", "modes": ["raw"], "hint": MARKER_HELP},
    ]  # fmt: skip


def translation_fields(settings, countries, lang):
    """A translation's fields: the original it translates, who translated it, and the post's own."""
    post = {field["name"]: field for field in post_fields(settings, countries)}
    return [
        post["title"],
        {"name": "lang", "label": "Language", "widget": "hidden", "default": lang},
        {"name": "translation-of", "label": "Translation of", "widget": "relation", "collection": "posts",
         "value_field": "{{slug}}", "search_fields": ["title"], "display_fields": ["title"]},
        {"name": "translator", "label": "Translator", "widget": "string", "hint": "Name, or Name <https://…>"},
        _optional({"name": "translation-date", "label": "Translation date", "widget": "string", "hint": "YYYY-MM-DD"}),
        *(post[name] for name in ("date", "category", "tags", "author", "summary", "status", "body")),
    ]  # fmt: skip


def translation_collections(settings, countries, posts_folder):
    """One collection per language but the default, writing `<posts folder>/<lang>/<original's slug>.md`,
    where `invoke translate` puts a translation."""
    from babel import Locale  # noqa: PLC0415

    default = settings.get("DEFAULT_LANG", "en")
    return [
        {"name": f"posts_{lang}", "label": f"Translations: {Locale.parse(lang).get_display_name(lang)}",
         "label_singular": f"Translation ({lang})", "folder": f"{posts_folder}/{lang}", "extension": "md",
         "format": "pelican", "create": True, "slug": "{{fields.translation-of}}", "identifier_field": "title",
         "summary": "{{title}}", "fields": translation_fields(settings, countries, lang)}
        for lang in settings.get("LANGUAGES", {}) if lang != default
    ]  # fmt: skip


def decap_config(settings, desk, countries):
    """The Decap configuration of the site's desk: one collection of the default language's posts."""
    content = settings["PATH"].rstrip("/").rsplit("/", 1)[-1]
    posts_folder = f"{content}/{settings.get('ARTICLE_PATHS', ['posts'])[0]}"
    return {
        "backend": desk["backend"],
        "media_folder": f"{content}/images",
        "public_folder": "/images",
        "locale": "en",
        "collections": [
            {
                "name": "posts",
                "label": "Posts",
                "label_singular": "Post",
                "folder": posts_folder,
                "extension": "md",
                "format": "pelican",
                "create": True,
                "slug": "{{slug}}",
                "identifier_field": "title",
                "summary": "{{title}}",
                "sortable_fields": ["date", "title"],
                "fields": post_fields(settings, countries),
            },
            *translation_collections(settings, countries, posts_folder),
        ],
    }
