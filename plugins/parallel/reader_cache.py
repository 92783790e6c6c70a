"""Pelican's content caches written whole or not at all, and dropped, not fatal, when they cannot be read.

Pelican pickles a cache over the old one in place: a build killed meanwhile, or a full disk,
leaves a file that every later build fails on until the cache is deleted by hand. Here a
cache is written beside its place, under a lock, and renamed into it; a mark beside it
records the file so written. Before Pelican loads a cache, one without a matching mark (left
by plain Pelican, another version, a damaged disk) is read once to see that it can be; one
that cannot is deleted with a warning, and its posts are read again. Pelican's private names
are used here and nowhere else.
"""

import contextlib
import errno
import fcntl
import gzip
import logging
import os
import pickle
import tempfile
from glob import escape, glob

from pelican.generators import CachingGenerator

logger = logging.getLogger(__name__)

FULL_DISK = {errno.ENOSPC, errno.EDQUOT}
PARTIAL = ".partial-"
MARK = ".whole"


def cache_paths(settings, generator_classes):
    """The cache files the generators will load."""
    for cls in generator_classes:
        if issubclass(cls, CachingGenerator):
            # Each keeps a cache at the reader level and one at its own (CONTENT_CACHING_LAYER).
            yield from (os.path.join(settings["CACHE_PATH"], name) for name in (f"{cls.__name__}-Readers", cls.__name__))


def _stamp(path):
    stat = os.stat(path)
    return f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"


def _opener(settings):
    return gzip.open if settings["GZIP_CACHE"] else open


def drop_unreadable(settings, generator_classes):
    """Delete the caches Pelican is about to load that cannot be read, and partial ones no build is writing."""
    for path in cache_paths(settings, generator_classes):
        for partial in glob(escape(path) + PARTIAL + "*"):
            with _unheld(partial) as abandoned:
                if abandoned:
                    os.unlink(partial)
        if not settings.get("LOAD_CONTENT_CACHE") or not os.path.exists(path):
            continue
        try:
            with open(path + MARK, encoding="utf-8") as mark:
                if mark.read() == _stamp(path):
                    continue
        except OSError:
            pass
        try:
            with _opener(settings)(path, "rb") as source:
                pickle.load(source)
        except Exception as error:  # noqa: BLE001 - whatever a damaged file raises, it is dropped
            os.unlink(path)
            logger.warning("the cache %s could not be read (%s: %s) and was deleted; its files are read anew",
                           os.path.relpath(path), type(error).__name__, error, extra={"notice": True})  # fmt: skip


@contextlib.contextmanager
def _unheld(path):
    """Hold `path`'s lock if no other process does; yields whether it does (False too if the file is gone)."""
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held, or no locks on this file system: nothing proves it abandoned
        os.close(handle)
        yield False
        return
    try:
        yield True
    finally:
        os.close(handle)


def save_whole(cacher):
    """Pelican's `save_cache` for `cacher`, writing the cache aside and renaming it into place.

    A full disk is raised, to end the build with it; any other failure is logged as Pelican does.
    """
    if not cacher._cache_data_policy:
        return
    path = cacher._cache_path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=os.path.basename(path) + PARTIAL, dir=os.path.dirname(path))
    try:
        # Locked while written: a build that starts meanwhile leaves it alone.
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_EX)
        with os.fdopen(handle, "wb") as raw:
            compressed = gzip.GzipFile(fileobj=raw, mode="wb") if cacher.settings["GZIP_CACHE"] else None
            with compressed or contextlib.nullcontext(raw) as out:
                pickle.dump(cacher._cache, out)
            raw.flush()
            os.replace(partial, path)
        with open(path + MARK, "w", encoding="utf-8") as mark:
            mark.write(_stamp(path))
    except (OSError, pickle.PicklingError, TypeError) as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        if getattr(error, "errno", None) in FULL_DISK:
            error.filename = error.filename or path
            raise
        logger.warning("could not save the cache %s: %s", path, error)


def write_whole(generator):
    """Have the generator's caches saved by `save_whole`."""
    generator.readers.save_cache = lambda: save_whole(generator.readers)
    if isinstance(generator, CachingGenerator):
        generator.save_cache = lambda: save_whole(generator)
