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
                logger.warning("parallel: %d pages are to be written to %s; only one can be", times, name)
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
