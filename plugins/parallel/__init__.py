"""Builds on every core: Markdown converted and pages written in forked workers.

Not a plugin but Pelican's `PELICAN_CLASS`: only the class that runs the build can put a
step after the last generator. `PARALLEL = {"workers": 0}` uses every core this process
may run on; 1 builds in this process alone, as plain Pelican does. The output is the same
byte for byte whatever the number of workers.
"""

import os

from pelican import Pelican, signals

from .attaching import PlaceAttachments
from .config import workers
from .disk import stop_if_full
from .reader_cache import drop_unreadable, write_whole
from .reading import read_ahead
from .writing import QueuedWrites, WriteQueued


class ParallelPelican(Pelican):
    """Pelican, with reading and writing shared among `PARALLEL["workers"]` processes."""

    def __init__(self, settings, write=True):
        """`write=False` reads and queues every page but writes none (a resident build whose
        pages are already on disk: sitebuild.live)."""
        super().__init__(settings)
        self.workers, self.write = workers(self.settings), write
        # Kept after `run` for a resident build (sitebuild.live) to rewrite pages from.
        self.generators, self.writer = [], None
        signals.generator_init.connect(self._prepare_generator)
        signals.all_generators_finalized.connect(self._keep_generators)

    def run(self):
        try:
            return super().run()
        except OSError as error:
            stop_if_full(error, self.output_path)
            raise

    def _keep_generators(self, generators):
        if generators and generators[0].settings is self.settings:
            self.generators = generators
            # Pelican has saved its reader cache by now; each worker would copy it for nothing.
            for generator in generators:
                if isinstance(getattr(getattr(generator, "readers", None), "_cache", None), dict):
                    generator.readers._cache = {}

    def _prepare_generator(self, generator):
        """Each generator saves its caches whole, and finds the Markdown it lacks converted on every core."""
        if generator.settings is self.settings:
            write_whole(generator)
            read_ahead(generator, self.workers)

    def _get_generator_classes(self):
        # Pelican puts its StaticGenerator last; {attach} links must be resolved before it writes.
        *generators, static = super()._get_generator_classes()
        classes = [*generators, PlaceAttachments, static, WriteQueued]
        # Asked for once, just before the generators are made and load their caches.
        drop_unreadable(self.settings, classes)
        return classes

    def _get_writer(self):
        # Plugins that write a file of their own (sitemap.xml, _headers) may come before any page.
        os.makedirs(self.output_path, exist_ok=True)
        self.writer = QueuedWrites(super()._get_writer(), write=self.write)
        return self.writer
