"""Render and write pages on every core: generators queue their pages, the last one writes them all.

Pelican's generators call `writer.write_file` page after page. `QueuedWrites` keeps those
calls instead, and `WriteQueued`, run after every other generator, replays them with
Pelican's own writer in `run_shared` workers. Everything a page needs is in memory before
the first page is written, so the order of writing does not change a byte of the output.
"""

import logging
import os
from collections import Counter, defaultdict

from .config import workers
from .forking import run_shared

logger = logging.getLogger(__name__)


class QueuedWrites:
    """Pelican's writer, with `write_file` calls queued for `write_queued`.

    A plugin that writes files of its own queues them with `write_later(name, function, …)`;
    the function is called with the output folder first.
    """

    def __init__(self, writer, write=True):
        self.writer, self.write = writer, write
        self.queue = []
        # Every call queued so far, written or not, for a resident build to replay some of.
        self.all_writes = []

    def write_file(self, name, template, context, *args, **kwargs):
        # List pages written with one context (one language site) repeat the same post
        # summaries: one worker writes them all and renders each summary once.
        together = None if {"article", "page"} & kwargs.keys() else id(context)
        self.queue.append((name, together, self.writer.write_file, (name, template, context, *args), kwargs))

    def write_later(self, name, function, *args, **kwargs):
        self.queue.append((name, None, lambda *a, **k: function(self.writer.output_path, *a, **k), args, kwargs))

    def __getattr__(self, name):
        return getattr(self.writer, name)

    def write_queued(self, workers):
        queue, self.queue = self.queue, []
        self.all_writes += queue
        if not self.write:
            return
        for name, times in Counter(name for name, *_ in queue if name).items():
            if times > 1:
                writers = sorted(_written_by(item) for item in queue if item[0] == name)
                # Each writer a log argument of its own: a post's source path names the file of the problem.
                logger.warning(f"parallel: {' and '.join(['%s'] * len(writers))} are all to be written to %s; only one can be",
                               *writers, name)  # fmt: skip
        units = work_units(queue)

        def write(number):
            for name, _, function, args, kwargs in units[number]:
                try:
                    function(*args, **kwargs)
                except OSError as error:
                    # A write that fails for a full disk names no file: name the page.
                    error.filename = error.filename or (name and os.path.join(self.writer.output_path, name))
                    raise

        run_shared(len(units), write, workers)


def _written_by(item):
    """What a queued write comes from: a post's or page's source file, else its template or plugin function."""
    _, _, function, args, kwargs = item
    content = kwargs.get("article") or kwargs.get("page")
    if content is not None:
        # Pelican runs in the settings file's folder: the path as an editor there types it.
        return os.path.relpath(content.source_path)
    template = args[1] if len(args) > 1 and hasattr(args[1], "name") else None
    return f'the "{template.name}" template' if template is not None else getattr(function, "__qualname__", "a plugin")


def work_units(queue):
    """The queued writes as units of work: the groups to write together, largest first, then each other write."""
    groups, alone = defaultdict(list), []
    for item in queue:
        if item[1] is None:
            alone.append([item])
        else:
            groups[item[1]].append(item)
    return sorted(groups.values(), key=len, reverse=True) + alone


def write_or_queue(writer, name, function, *args):
    """`function(output_folder, *args)` for a plugin's own file: queued with the pages in a parallel
    build, so that it is written on every core, else at once."""
    if hasattr(writer, "write_later"):
        writer.write_later(name, function, *args)
    else:
        function(writer.output_path, *args)


class WriteQueued:
    """The last generator: writes the pages the others queued."""

    def __init__(self, settings, **_):
        self.workers = workers(settings)

    def generate_output(self, writer):
        writer.write_queued(self.workers)
