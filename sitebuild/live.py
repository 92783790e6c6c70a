"""A resident build for previews: one full build, then an edit to a post's text is written in about a second.

`invoke livereload` runs it in a process of its own: `python -m sitebuild.live SETTINGS OUTPUT`.
It builds everything once, as `invoke build` does, then reads the site into memory: what
Pelican read and the list of pages it writes. When the only change is to the text of posts,
with the metadata above the text as it was, it reads those files again and rewrites only what
shows their text: each post's own page, the list pages that show its summary, and the feeds
that carry it. The search index follows. Anything else (a new, moved or deleted file,
metadata, theme, plugins, settings) is a full build.
"""

import argparse
import contextlib
import io
import inspect
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import build_atomically, index_for_search

logger = logging.getLogger(__name__)
# Files that editors and tools write beside the one they save, then rename or remove: `sed -i`'s
# sedXXXXXX, Vim's 4913, Emacs's #post.md#, gedit's, Kate's, LibreOffice's, Chrome's. Watchfiles
# already leaves out Vim's swap files, backups~ and .#locks.
EDITORS_TEMPORARY = (r"^sed[A-Za-z0-9]{6}$", r"^4913$", r"^#.*#$", r"^\.goutputstream-", r"\.kate-swp$",
                     r"^\.~lock\.", r"\.crswap$", r"\.tmp$")  # fmt: skip
# Content attributes that link a post to others; a post read again has them empty.
LINKS = {"translations", "_context", "settings"}


def metadata_header(path):
    """The text above a post's first blank line: its metadata, as written (strict reports bad bytes)."""
    with open(path, encoding="utf-8-sig", errors="replace") as source:
        return source.read().split("\n\n", 1)[0]


def _headers_of_posts(settings):
    """{real path: metadata header} of every Markdown file under the article folders."""
    from pelican.readers import MarkdownReader  # noqa: PLC0415

    headers = {}
    for folder in settings["ARTICLE_PATHS"]:
        for directory, _, files in os.walk(os.path.join(settings["PATH"], folder)):
            for name in files:
                if name.rsplit(".", 1)[-1] in MarkdownReader.file_extensions:
                    path = os.path.realpath(os.path.join(directory, name))
                    headers[path] = metadata_header(path)
    return headers


class LiveSite:
    def __init__(self, settings_file, deploy, say=print):
        self.settings_file, self.deploy, self.say = Path(settings_file).resolve(), Path(deploy).resolve(), say
        self.pelican, self.headers = None, {}

    def full_build(self):
        """Build as `invoke build` does, then read the site into this process for edits to replay.

        Reading it again costs a few seconds, from the reader cache the build has just filled;
        holding it while Pagefind indexes would add Pagefind's memory to the site's.
        """
        from pelican.settings import read_settings  # noqa: PLC0415

        self.pelican, self.headers = None, {}
        _forget_rendered_text()
        try:
            settings = read_settings(str(self.settings_file))
        except Exception:  # noqa: BLE001 - the build below says why
            settings = None
        # Read before the build: a change made while it runs is then seen as one.
        headers = _headers_of_posts(settings) if settings else {}
        if build_atomically(self.settings_file, self.deploy).returncode != 0:
            return False
        self.pelican, self.headers = self._read_site(), headers
        return True

    def _read_site(self):
        """Pelican run in this process on the built site's sources, queueing its pages without writing them."""
        from pelican.settings import read_settings  # noqa: PLC0415

        scratch = tempfile.mkdtemp(prefix=f"{self.deploy.name}.read-", dir=self.deploy.parent)
        # The build has reported everything already; only a failure is worth saying again.
        logging.disable(logging.WARNING)
        try:
            # Static files (a large archive's images) are linked into the scratch folder, not copied.
            override = {"OUTPUT_PATH": scratch, "STATIC_CREATE_LINKS": True}
            settings = read_settings(str(self.settings_file), override=override)
            module, name = settings["PELICAN_CLASS"].rsplit(".", 1)
            pelican = getattr(__import__(module), name)(settings, write=False)
            with contextlib.redirect_stdout(io.StringIO()):
                pelican.run()
        except (Exception, SystemExit):  # noqa: BLE001 - previews go on with full builds
            traceback.print_exc()
            self.say("live: the site could not be read into memory; every change will be a full build")
            return None
        finally:
            logging.disable(logging.NOTSET)
            shutil.rmtree(scratch, ignore_errors=True)
        return pelican

    def _posts(self):
        from pelican.generators import ArticlesGenerator  # noqa: PLC0415

        for generator in self.pelican.generators:
            if isinstance(generator, ArticlesGenerator):
                yield from [*generator.articles, *generator.translations]

    def update(self, changed):
        """Bring the output up to date after `changed` files changed; returns what was done."""
        posts = self._text_edits(changed)
        if posts is None:
            return "full build" if self.full_build() else "failed"
        started = time.perf_counter()
        written = self._rewrite(posts)
        if written is None:
            return "failed"
        self.say(f"live: wrote {written} pages and feeds in {time.perf_counter() - started:.2f} s; indexing for search")
        index = index_for_search(self.deploy, self.pelican.settings, pages=[post.save_as for post in posts])
        return "text edit" if index.returncode == 0 else "failed"

    def _text_edits(self, changed):
        """The posts whose text alone changed, or None if anything else changed."""
        if self.pelican is None:
            return None
        by_path = {os.path.realpath(p.source_path): p for p in self._posts()}
        posts = []
        for path in map(os.path.realpath, changed):
            post = by_path.get(path)
            if post is None or not os.path.isfile(path) or metadata_header(path) != self.headers.get(path):
                return None
            posts.append(post)
        return posts

    def _rewrite(self, posts):
        from strict.problems import ProblemCollector, format_report, problems_from_records  # noqa: PLC0415

        from pelican.generators import ArticlesGenerator  # noqa: PLC0415

        generator = next(g for g in self.pelican.generators if isinstance(g, ArticlesGenerator))
        root, collector = logging.getLogger(), ProblemCollector(self.pelican.settings["PATH"])
        root.addHandler(collector)
        collector.mute(root.handlers)  # its report below is the one place a problem is printed
        try:
            fresh = [self._read_again(generator, post) for post in posts]
        finally:
            collector.unmute()
            root.removeHandler(collector)
        problems = problems_from_records(collector.records, collector.content_path)
        if problems or None in fresh:
            self.say(format_report(problems) if problems else "live: a post could not be read; the last build stays")
            return None
        summaries = {id(post): post.get_summary("") for post in posts}
        for post, new in zip(posts, fresh):
            _take_text(post, new)
        summary_changed = {id(p) for p in posts if p.get_summary("") != summaries[id(p)]}
        # Fragments rendered once per build (plugins/fragment_cache) may show the old text.
        for generator in self.pelican.generators:
            for extension in getattr(getattr(generator, "env", None), "extensions", {}).values():
                getattr(extension, "forget", lambda: None)()
        return self._write_pages(posts, summary_changed)

    def _read_again(self, generator, post):
        from pelican import signals  # noqa: PLC0415

        try:
            return generator.readers.read_file(
                base_path=generator.path, path=os.path.relpath(post.source_path, generator.path),
                content_class=type(post), context=generator.context,
                preread_signal=signals.article_generator_preread, preread_sender=generator,
                context_signal=signals.article_generator_context, context_sender=generator,
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - strict has logged why
            return None

    def _write_pages(self, posts, summary_changed):
        """Replay the writes that show these posts' text into a scratch folder, then move the files in."""
        queued = self.pelican.writer
        writer, posts_ids = queued.writer, {id(p) for p in posts}
        scratch = Path(tempfile.mkdtemp(prefix=f"{self.deploy.name}.edit-", dir=self.deploy.parent))
        writer.output_path, writer._written_files, writer._overridden_files = str(scratch), set(), set()
        skipped = _skip_opening(writer)
        try:
            for _, _, function, args, kwargs in queued.all_writes:
                shown = _shown_posts(args, kwargs)
                if kwargs.get("article") is not None or kwargs.get("page") is not None:
                    if id(kwargs.get("article")) in posts_ids:
                        function(*args, **kwargs)
                elif "template_name" not in kwargs and posts_ids & shown:
                    function(*args, **kwargs)  # a feed
                elif summary_changed & shown and kwargs.get("template_name") in writer.settings["PAGINATED_TEMPLATES"]:
                    template = _OnlyPagesShowing(args[1], summary_changed, writer.output_path, skipped)
                    function(args[0], template, *args[2:], **kwargs)
            return _move_into(scratch, self.deploy)
        finally:
            vars(writer).pop("_open_w", None)
            shutil.rmtree(scratch, ignore_errors=True)


def _shown_posts(args, kwargs):
    """The ids of the posts a queued write lists (its `articles`, or a feed's posts)."""
    shown = set()
    for value in [*args, kwargs.get("articles")]:
        if isinstance(value, list | tuple):
            shown.update(id(item) for item in value)
    return shown


class _OnlyPagesShowing:
    """A list's template that renders only its pages that show one of some posts; the others it
    adds to `skipped`, which the writer then does not write (Pelican's writer pages through the
    whole list)."""

    def __init__(self, template, post_ids, output_path, skipped):
        self.template, self.post_ids, self.output_path, self.skipped = template, post_ids, output_path, skipped

    def render(self, context):
        page = context.get("articles_page")
        if page is None or not self.post_ids & {id(p) for p in page.object_list}:
            self.skipped.add(os.path.normpath(os.path.join(self.output_path, context["output_file"])))
            return ""
        return self.template.render(context)


def _skip_opening(writer):
    """Make the writer write nothing to the files named in the returned set (until `_open_w` is popped)."""
    skipped, open_file = set(), writer._open_w

    def open_unless_skipped(filename, *args, **kwargs):
        if os.path.normpath(filename) in skipped:
            return contextlib.nullcontext(io.StringIO())
        return open_file(filename, *args, **kwargs)

    writer._open_w = open_unless_skipped
    return skipped


def _take_text(post, new):
    """Give `post` what `new`, read from the edited file, says differently; links to other posts stay."""
    for key, value in vars(new).items():
        if key not in LINKS and (key not in vars(post) or vars(post)[key] != value):
            setattr(post, key, value)
    _forget_rendered_text(post)


def _forget_rendered_text(post=None):
    """Pelican keeps each post's text with its links filled in, per site root, for as long as the
    process lives: forget it for one post, or for all (the posts of an earlier build)."""
    from pelican.contents import Content  # noqa: PLC0415

    for name in ("get_content", "get_summary"):
        cache = inspect.getattr_static(Content, name).cache
        for key in [k for k in cache if post is None or (k and k[0] is post)]:
            del cache[key]


def _move_into(scratch, deploy):
    moved = 0
    for directory, _, files in os.walk(scratch):
        target = deploy / os.path.relpath(directory, scratch)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(os.path.join(directory, name), target / name)
            moved += 1
    return moved


def watch_filter():
    """Watchfiles' default filter, which also leaves editors' temporary files out."""
    from watchfiles import DefaultFilter  # noqa: PLC0415 - installed with Pelican

    return DefaultFilter(ignore_entity_patterns=(*DefaultFilter.ignore_entity_patterns, *EDITORS_TEMPORARY))


def watch(settings_file, deploy):
    from watchfiles import watch as changes  # noqa: PLC0415 - installed with Pelican

    # Pelican names files relative to the settings' folder, as editors see them there.
    deploy = Path(deploy).resolve()
    os.chdir(Path(settings_file).resolve().parent)
    site = LiveSite(settings_file, deploy, say=lambda line: print(line, flush=True))
    print("live: " + ("built" if site.full_build() else "the first build failed"), flush=True)
    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(str(site.settings_file))
    watched = [settings["PATH"], settings["THEME"], *settings.get("PLUGIN_PATHS", []), str(site.settings_file)]
    for batch in changes(*watched, watch_filter=watch_filter()):
        paths = sorted({path for _, path in batch if "__pycache__" not in path})
        if paths:
            print("live: changed " + ", ".join(os.path.relpath(p) for p in paths), flush=True)
            print(f"live: {site.update(paths)}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("settings")
    parser.add_argument("output")
    args = parser.parse_args(argv)
    from pelican.log import init as init_logging  # noqa: PLC0415

    init_logging(level=logging.WARNING)
    try:
        watch(args.settings, args.output)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
