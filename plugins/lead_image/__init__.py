"""Lead image: `Image:` at the top of a post, a figure with its caption and credit, resized.

    Image: /images/naryn-road.jpg
    Image-caption: The road to Naryn in November.
    Image-credit: Daniyar Abenov
    Image-alt: A mountain road under snow   (else the caption is the alt text)

The build resizes it into `LEAD_IMAGE["widths"]` (never wider than the original) as WebP,
listed in `srcset`, so that a phone fetches the smallest copy that fits; Open Graph and the
JSON-LD `image` name the original. A translation without `Image:` shows its original's image.
"""

import os
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pelican import signals
from strict.checks import metadata_line
from strict.problems import report, settings_error

from .files import image_size, locate, requested_path, write_copies
from .sizes import chosen_widths, fallback, resized_path, scaled_height, srcset

SETTING = "LEAD_IMAGE"
DEFAULTS = {"widths": [480, 800, 1200], "quality": 72}
KEYS = ("image", "image-caption", "image-credit", "image-alt")
# The column the figure fills: the body's measure (main.css, --measure: 40rem) or the screen.
SIZES = "(min-width: 42rem) 40rem, 100vw"


@dataclass
class LeadImage:
    original: str  # output-relative path of the published original
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    lang: str
    sources: list = field(default_factory=list)  # (output-relative path, width), narrowest first

    @property
    def src(self):
        return fallback(self.sources)[0]

    @property
    def src_height(self):
        return scaled_height(fallback(self.sources)[1], self.width, self.height)

    @property
    def src_width(self):
        return fallback(self.sources)[1]

    sizes = SIZES


def check_config(pelican):
    config = {**DEFAULTS, **pelican.settings.get(SETTING, {})}
    unknown = sorted(set(config) - set(DEFAULTS))
    if unknown:
        settings_error(f"lead_image: unknown key(s) {unknown} in {SETTING}; known keys: {sorted(DEFAULTS)}")
    widths = config["widths"]
    if not isinstance(widths, list | tuple) or not widths or not all(type(w) is int and 16 <= w <= 4096 for w in widths):
        settings_error(f'lead_image: {SETTING}["widths"] must be a list of widths in pixels (16 to 4096), e.g. [480, 800, 1200]')
    quality = config["quality"]
    if type(quality) is not int or not 1 <= quality <= 100:
        settings_error(f'lead_image: {SETTING}["quality"] must be a WebP quality from 1 to 100, e.g. 72')
    pelican.settings[SETTING] = {"widths": sorted(set(widths)), "quality": quality}


def _published(relative, settings):
    """Whether Pelican copies a content-relative file to the output (it is under STATIC_PATHS)."""
    return any(relative == folder.strip("/") or relative.startswith(folder.strip("/") + "/")
               for folder in settings.get("STATIC_PATHS", []))  # fmt: skip


def read_lead_image(article, content_root, settings):
    """The post's LeadImage, or None; a problem with it is reported with file and line."""
    metadata = article.metadata
    path = article.source_path
    value = str(metadata.get("image", "")).strip()
    if not value:
        stray = [key for key in KEYS[1:] if str(metadata.get(key, "")).strip()]
        if stray:
            report(path, metadata_line(path, stray[0]), f"{stray[0].capitalize()}: without an Image:",
                   "add `Image: /images/<file>` with the picture, or remove the line")  # fmt: skip
        return None
    line = metadata_line(path, "image")
    folder = PurePosixPath(os.path.relpath(path, content_root)).parent.as_posix()
    relative = requested_path(value, "" if folder == "." else folder)
    real, why = locate(content_root, relative)
    if real is None:
        message = (f'Image: "{value}" is outside content/ (an address, a "../" too many, or a symlink out)'
                   if why == "outside" else f'Image: "{value}" does not exist')  # fmt: skip
        report(path, line, message, "put the picture in content/images/ and write `Image: /images/<file>`")
        return None
    if not _published(relative, settings):
        report(path, line, f'Image: "{value}" is not in a folder that is published ({", ".join(settings.get("STATIC_PATHS", []))})',
               "move the picture to content/images/ and write `Image: /images/<file>`")  # fmt: skip
        return None
    size = image_size(real)
    if size is None:
        report(path, line, f'Image: "{value}" is not a picture the build can read', "save it as JPEG, PNG or WebP")
        return None
    caption = str(metadata.get("image-caption", "")).strip()
    alt = str(metadata.get("image-alt", "")).strip() or caption
    if not alt:
        report(path, line, "Image: has no text for readers who cannot see it",
               "add `Image-alt:` (what the picture shows) or `Image-caption:`")  # fmt: skip
        return None
    widths = chosen_widths(size[0], settings[SETTING]["widths"])
    return LeadImage(original=relative, width=size[0], height=size[1], alt=alt, caption=caption,
                     credit=str(metadata.get("image-credit", "")).strip(), lang=article.lang,
                     sources=[(resized_path(relative, w), w) for w in widths])  # fmt: skip


def attach_images(generator):
    settings = generator.settings
    content_root = os.path.abspath(settings["PATH"])
    everything = [*generator.articles, *generator.translations, *generator.drafts]
    for article in everything:
        article.lead_image = read_lead_image(article, content_root, settings)
    for article in everything:
        original = getattr(article, "original", article)
        if article.lead_image is None and "image" not in article.metadata and original is not article:
            article.lead_image = getattr(original, "lead_image", None)


def refuse_on_pages(generator):
    """A page has no lead image: an `Image:` on one would otherwise be left out without a word."""
    for page in [*generator.pages, *generator.hidden_pages, *generator.draft_pages]:
        key = next((key for key in KEYS if key in page.metadata), None)
        if key:
            report(page.source_path, metadata_line(page.source_path, key), f"{key.capitalize()}: is read on posts only",
                   "remove the line, or show the picture in the page's text: ![what it shows](/images/<file>)")  # fmt: skip


def write_resized(generator, writer):
    """The resized copies, made in this process before any other writes them: every build,
    with one worker or many, writes the same bytes (they come from the cache once made)."""
    settings = generator.settings
    content_root = os.path.abspath(settings["PATH"])
    cache = os.path.join(settings["CACHE_PATH"], "lead-images")
    done = set()
    for article in [*generator.articles, *generator.translations, *generator.drafts]:
        image = getattr(article, "lead_image", None)
        if image is None or image.original in done:
            continue
        done.add(image.original)
        source, _ = locate(content_root, image.original)
        write_copies(source, image.sources, writer.output_path, cache, settings[SETTING]["quality"])


def install(generator):
    generator.env.filters["srcset"] = srcset


def register():
    signals.initialized.connect(check_config)
    signals.generator_init.connect(install)
    signals.article_generator_finalized.connect(attach_images)
    signals.article_writer_finalized.connect(write_resized)
    signals.page_generator_finalized.connect(refuse_on_pages)
