"""Content problems: how they are raised, collected from the log, and reported."""

import logging
import os
import sys
from dataclasses import dataclass

logger = logging.getLogger(__name__)
# Pelican's warnings about images with an empty alt: it logs the first few of a build only, and
# strict's own check (images.py) reports each image with its line instead.
PELICAN_ALT_MESSAGES = ("Empty alt attribute for image", "Other images have empty alt attributes")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one source file, and how to fix it."""

    path: str
    line: int
    message: str
    fix: str

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}\n    fix: {self.fix}"


class ContentError(Exception):
    """Raised by a reader for a file that cannot be read at all."""

    def __init__(self, *problems):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class BuildFailed(SystemExit):
    """Ends the run with exit status 1 once every problem has been reported."""

    def __init__(self):
        super().__init__(1)


def settings_error(message):
    """Stop at start, before anything is read, with one clear line and no traceback."""
    sys.stderr.write(f"Settings error: {message}\n")
    raise BuildFailed()


def display_path(path):
    """A source path as an editor would type it: relative to the working directory."""
    path = os.fspath(path)
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    return path if relative.startswith("..") else relative


def report(path, line, message, fix, covers=()):
    """Log a problem so that the collector fails the build with it.

    `covers`: absolute paths (a missing image) that Pelican's own warnings about are this problem.
    """
    problem = Problem(display_path(path), line or 0, message, fix)
    logger.error("strict: %s", problem, extra={"problem": problem, "covers": tuple(map(os.path.normpath, covers))})


def notice(path, line, message, fix):
    """Log something an editor should know that does not fail the build."""
    problem = Problem(display_path(path), line or 0, message, fix)
    logger.warning("%s", problem, extra={"notice": True})


def _paths_in(record, content_path):
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    for arg in args:
        path = getattr(arg, "source_path", arg)
        if not isinstance(path, str):
            continue
        for candidate in (path, os.path.join(content_path, path)):
            if os.path.isfile(candidate):
                yield display_path(candidate)
                break


def problems_from_records(records, content_path):
    """Turn log records into problems sorted by file and line.

    A record logged with `report` carries its problem. Any other warning or error
    (Pelican's, Markdown's) becomes a problem of its own, unless it is about a file
    that already has a specific problem: Pelican's "Could not process x.md" adds
    nothing to ours.
    """
    specific = [r.problem for r in records if hasattr(r, "problem")]
    covered = {target for r in records for target in getattr(r, "covers", ())}
    explained = {p.path for p in specific}
    generic = []
    for record in records:
        if hasattr(record, "problem"):
            continue
        paths = list(_paths_in(record, content_path))
        if paths and explained.intersection(paths) or covered.intersection(_named_paths(record)):
            continue
        generic.append(_generic_problem(record, paths[0] if paths else "(build)"))
    return sorted(set(specific + generic))


def _named_paths(record):
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    return {os.path.normpath(arg) for arg in args if isinstance(arg, str) and os.path.isabs(arg)}


def _generic_problem(record, path):
    """A problem from someone else's log record; printed once, so it says all the record does."""
    message = " ".join(record.getMessage().split())
    cause = getattr(record, "cause", None)
    if cause:
        return Problem(path, 0, f"{message}: {cause}",
                       "correct the file if the error names something in it; otherwise it is a bug in Pelican "
                       "or a plugin: report it with the traceback of `pelican --debug`")  # fmt: skip
    return Problem(path, 0, message, "correct what the message names; every warning of Pelican or Markdown fails the build")


class ProblemCollector(logging.Handler):
    """Keeps every warning and error logged during one build."""

    def __init__(self, content_path="content"):
        super().__init__(level=logging.WARNING)
        self.content_path = content_path
        self.records = []
        self.muted = []

    def emit(self, record):
        if record.levelno >= logging.CRITICAL:
            # Pelican stops (its handler shows why): the summary at the end will not come, so say now what was found.
            if self.records:
                sys.stderr.write(format_report(problems_from_records(self.records, self.content_path)) + "\n")
            return
        if getattr(record, "notice", False):
            return
        # Pelican names the first few images without alt text of a build; strict names them all.
        if isinstance(record.msg, str) and record.msg.startswith(PELICAN_ALT_MESSAGES):
            return
        error = sys.exc_info()[1]
        if record.levelno >= logging.ERROR and not record.exc_info and error is not None and not hasattr(record, "cause"):
            # Pelican's "Could not process x.md" is logged without the exception that stopped it.
            record.cause = f"{type(error).__name__}: {error}"
        self.records.append(record)

    def mute(self, handlers):
        """Keep what the summary reports out of other handlers (Pelican's console): each problem is printed once."""
        for handler in handlers:
            # Another collector (the desk's check keeps one of its own) gathers problems too: left alone.
            if handler is not self and not isinstance(handler, ProblemCollector) and self._not_summarised not in handler.filters:
                handler.addFilter(self._not_summarised)
                self.muted.append(handler)

    def unmute(self):
        for handler in self.muted:
            handler.removeFilter(self._not_summarised)
        self.muted = []

    @staticmethod
    def _not_summarised(record):
        return not logging.WARNING <= record.levelno < logging.CRITICAL or getattr(record, "notice", False)


def format_report(problems):
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    head = f"Build failed: {len(problems)} {noun} in {files} file{'s' if files != 1 else ''}."
    return "\n".join([head, *map(str, problems)])
