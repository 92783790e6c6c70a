"""People: a profile for each author and translator, shown on their page and linked from every credit.

    content/authors/aigerim-sadykova.md       content/authors/ru/aigerim-sadykova.md
    Title: Aigerim Sadykova                   Title: Айгерим Садыкова
    Names: Айгерим Садыкова                   Slug: aigerim-sadykova
    Photo: /images/people/aigerim.jpg         Lang: ru
    Languages: kk, ru, en
    Links: https://t.me/aigerim_writes        Айгерим — журналист из Алматы…

    Aigerim is a journalist in Almaty…

A profile's slug (`Slug:`, else its file name) is the address of the person's page,
`author/<slug>/` on each language site they wrote or translated for; `Title:` and `Names:` are
the spellings posts credit them by in `Author:` and `Translator:`. A translated profile is a
file with `Lang:` and the same slug; a page shows the version in its language, else the first.
"""

import os

from pelican import signals
from pelican.contents import Page
from pelican.readers import MarkdownReader, Readers
from pelican.urlwrappers import Author
from pelican.utils import slugify
from jinja2 import pass_context
from lead_image.files import image_size, locate, requested_path, write_copies
from lead_image.sizes import resized_path
from strict.checks import metadata_line
from strict.problems import notice, report, settings_error
from strict.unread import unread_markdown
from translations.sites import PERSON_SLUGS

from .profiles import Profile, credited_slug, field_problems, index_profiles, link_label, listed, unclaimed

SETTING = "PEOPLE"
DEFAULTS = {"path": "authors", "photo_widths": [96, 192]}
# The context key that holds the People of this build.
PEOPLE = "PEOPLE_PROFILES"
PHOTO_FOLDER = "images/profile"


def check_config(pelican):
    settings = pelican.settings
    config = {**DEFAULTS, **settings.get(SETTING, {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"people: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    path = config["path"]
    if not isinstance(path, str) or not path.strip("/") or ".." in path.split("/") or path.startswith("/"):
        settings_error(f'people: {SETTING}["path"] must be a folder inside content/, e.g. "authors"')
    if path.strip("/") in (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]):
        settings_error(f'people: {SETTING}["path"] "{path}" is also where posts or pages are read from; give profiles a folder of their own')
    widths = config["photo_widths"]
    if not isinstance(widths, list | tuple) or not widths or not all(type(w) is int and 16 <= w <= 1024 for w in widths):
        settings_error(f'people: {SETTING}["photo_widths"] must be a list of widths in pixels (16 to 1024), e.g. [96, 192]')
    settings[SETTING] = {"path": path.strip("/"), "photo_widths": sorted(set(widths))}


def _slugify(settings):
    def slug_of(name):
        return slugify(name, regex_subs=settings.get("AUTHOR_REGEX_SUBSTITUTIONS", settings["SLUG_REGEX_SUBSTITUTIONS"]),
                       preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                       use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))  # fmt: skip

    return slug_of


class SlugsByName(dict):
    """{credited name: profile slug}, also found by another spelling of the same slug ("IRINA KIM")."""

    def __init__(self, people, slug_of):
        super().__init__(people.slug_of)
        self._people, self._slug_of = people, slug_of

    def get(self, name, default=None):
        return credited_slug(self._people, name, self._slug_of) or default


def read_profiles(generator):
    """Read every profile before the posts are grouped, so that their credits find their pages."""
    settings = generator.settings
    root = os.path.abspath(settings["PATH"])
    folder = os.path.join(root, settings[SETTING]["path"])
    paths = unread_markdown(folder, set(), MarkdownReader.file_extensions, settings["IGNORE_FILES"]) if os.path.isdir(folder) else []
    readers = Readers(settings)
    profiles = []
    for path in paths:
        page = readers.read_file(base_path=root, path=os.path.relpath(path, root), content_class=Page, context=generator.context)
        profile = _profile(page, path, root, settings)
        if profile is not None:
            profiles.append(profile)
    slug_of = _slugify(settings)
    people, problems = index_profiles(profiles, list(settings.get("LANGUAGES") or [settings["DEFAULT_LANG"]]), slug_of)
    for problem in problems:
        report(problem.path, metadata_line(problem.path, problem.key) if problem.key else 0, problem.message, problem.fix)
    generator.context[PEOPLE] = people
    generator.context[PERSON_SLUGS] = SlugsByName(people, slug_of)
    # Read here, not by Pelican: the check that every Markdown file is read must count them.
    generator.context.setdefault("OTHER_SOURCES", []).extend(paths)


def _profile(page, path, root, settings):
    metadata = page.metadata
    if "title" not in metadata:
        return None  # strict reports a file with no title
    declared = metadata.get("slug")
    slug = str(declared).strip() if declared else os.path.splitext(os.path.basename(path))[0]
    # The slug is a folder of the site (author/<slug>/): only what a slug is made of, nothing that climbs.
    if _slugify(settings)(slug) != slug:
        where = metadata_line(path, "slug") if declared else 1
        report(path, where, f'the profile\'s slug "{slug}" is not lower-case letters, digits and "-"',
               "name the file like aigerim-sadykova.md, or write such a Slug:")  # fmt: skip
        return None
    languages, links = listed(metadata.get("languages")), listed(metadata.get("links"))
    for problem in field_problems(path, languages, links):
        report(path, metadata_line(path, problem.key), problem.message, problem.fix)
    profile = Profile(slug=slug, lang=page.lang, name=str(metadata["title"]).strip(), source_path=path,
                      names=listed(metadata.get("names")), languages=languages, links=links, page=page)  # fmt: skip
    if metadata.get("photo"):
        _attach_photo(profile, str(metadata["photo"]), root, settings)
    return profile


def _attach_photo(profile, value, root, settings):
    path = profile.source_path
    folder = os.path.dirname(os.path.relpath(path, root)).replace(os.sep, "/")
    relative = requested_path(value, folder)
    real, why = locate(root, relative)
    fix = "put the picture in content/images/ and write `Photo: /images/<file>`"
    if real is None:
        message = f'Photo: "{value}" is outside content/' if why == "outside" else f'Photo: "{value}" does not exist'
        report(path, metadata_line(path, "photo"), message, fix)
        return
    size = image_size(real)
    if size is None:
        report(path, metadata_line(path, "photo"), f'Photo: "{value}" is not a picture the build can read', "save it as JPEG, PNG or WebP")
        return
    widths = [w for w in settings[SETTING]["photo_widths"] if w <= size[0]] or [size[0]]
    profile.photo = relative
    profile.photo_sources = [(resized_path(relative, w, PHOTO_FOLDER), w) for w in widths]


def link_credits(generator):
    """Every `Author:` and `Translator:` of a post that a profile names links to that profile's page."""
    people = generator.context.get(PERSON_SLUGS)
    if not people:
        return
    for article in [*generator.articles, *generator.translations, *generator.drafts]:
        for person in [*getattr(article, "authors", []), *getattr(article, "translators", [])]:
            slug = people.get(person.name)
            if slug and person.slug != slug:
                person.slug = slug


def check_every_profile_is_shown(generator):
    """A profile that no post credits is on no page: said after the build, not left out silently
    (a new volunteer's profile may well come before their first post, so it does not fail the build)."""
    people = generator.context.get(PEOPLE)
    if people is None:
        return
    credited = {person.slug for article in [*generator.articles, *generator.translations, *generator.drafts]
                for person in [*getattr(article, "authors", []), *getattr(article, "translators", [])]}  # fmt: skip
    for profile in unclaimed(people, credited):
        notice(profile.source_path, metadata_line(profile.source_path, "title"),
               f'no post credits "{profile.name}" as Author: or Translator: yet, so this profile is on no page',
               "if a post does, write the name as it is credited there in Title: (or add that spelling to Names:)")  # fmt: skip


def write_photos(generator, writer):
    people = generator.context.get(PEOPLE)
    if people is None:
        return
    settings = generator.settings
    root = os.path.abspath(settings["PATH"])
    cache = os.path.join(settings["CACHE_PATH"], "people-photos")
    done = set()
    for versions in people.versions.values():
        for profile in versions.values():
            if profile.photo and profile.photo not in done:
                done.add(profile.photo)
                write_copies(locate(root, profile.photo)[0], profile.photo_sources, writer.output_path, cache, 80)


def install(generator):
    order = list(generator.settings.get("LANGUAGES") or [generator.settings["DEFAULT_LANG"]])

    @pass_context
    def profile_of(context, author):
        """The profile a person's page shows in the page's language, or None."""
        people = context.get(PEOPLE)
        if people is None or not isinstance(author, Author):
            return None
        lang = context.environment.globals["current_lang"](context)
        return people.shown(author.slug, lang, order)

    generator.env.filters.update(profile=profile_of, link_label=link_label)


def register():
    signals.initialized.connect(check_config)
    signals.generator_init.connect(install)
    signals.article_generator_init.connect(read_profiles)
    signals.article_generator_pretaxonomy.connect(link_credits)
    signals.article_generator_finalized.connect(check_every_profile_is_shown)
    signals.article_writer_finalized.connect(write_photos)
