"""Convert the Markdown that Pelican's reader cache lacks on every core, before Pelican reads.

Pelican reads one file after another. Here the files it is about to read and has no fresh
cache entry for are converted by `run_shared` workers and put in its reader cache, so its
own reading loop then finds them all there. A file whose conversion logs anything, or
fails, is left to Pelican: it reads it again itself and reports it as usual.
"""

import logging
import os

from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from .forking import run_shared

# The files each generator reads, as Pelican's own generate_context finds them.
SOURCES = {ArticlesGenerator: ("ARTICLE_PATHS", "ARTICLE_EXCLUDES"), PagesGenerator: ("PAGE_PATHS", "PAGE_EXCLUDES")}


def stale_sources(generator):
    """Absolute paths of the generator's sources with no fresh entry in its reader cache."""
    paths, excludes = SOURCES[type(generator)]
    readers = generator.readers
    found = generator.get_files(generator.settings[paths], exclude=generator.settings[excludes])
    stale = []
    for name in sorted(found):
        path = os.path.abspath(os.path.join(generator.path, name))
        if file_suffix(path) in readers.readers and readers.get_cached_data(path, None) is None:
            stale.append(path)
    return stale


def convert(readers, path):
    """(content, metadata) as Pelican's reader cache keeps them; None if the reader logged or failed."""
    root, listener = logging.getLogger(), _Listener()
    # Only listen: Pelican reads such a file again and reports it then, once.
    handlers, root.handlers = root.handlers, [listener]
    try:
        content, metadata = readers.readers[file_suffix(path)].read(path)
    except Exception:  # noqa: BLE001 - as above
        return None
    finally:
        root.handlers = handlers
    if listener.heard:
        return None
    return content, _filter_discardable_metadata(metadata)


def read_ahead(generator, workers):
    """Fill the generator's reader cache for every stale source, on `workers` cores."""
    if workers < 2 or type(generator) not in SOURCES or not generator.readers._cache_data_policy:
        return
    stale = stale_sources(generator)
    if len(stale) < 2 * workers:
        return
    converted = run_shared(len(stale), lambda number: convert(generator.readers, stale[number]), workers)
    for number, data in converted.items():
        generator.readers.cache_data(stale[number], data)


class _Listener(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.heard = False

    def emit(self, record):
        self.heard = True
