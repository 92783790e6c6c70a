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


def report(path, line, message, fix):
    """Log a problem so that the collector fails the build with it."""
    problem = Problem(display_path(path), line or 0, message, fix)
    logger.error("strict: %s", problem, extra={"problem": problem})


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
    explained = {p.path for p in specific}
    generic = []
    for record in records:
        if hasattr(record, "problem"):
            continue
        paths = list(_paths_in(record, content_path))
        if paths and explained.intersection(paths):
            continue
        generic.append(
            Problem(
                paths[0] if paths else "(build)",
                0,
                record.getMessage().replace("\n", " "),
                "see the message above; this warning fails the build",
            )
        )
    return sorted(set(specific + generic))


class ProblemCollector(logging.Handler):
    """Keeps every warning and error logged during one build."""

    def __init__(self, content_path="content"):
        super().__init__(level=logging.WARNING)
        self.content_path = content_path
        self.records = []

    def emit(self, record):
        # Pelican names the first few images without alt text of a build; strict names them all.
        if isinstance(record.msg, str) and record.msg.startswith(PELICAN_ALT_MESSAGES):
            return
        if not getattr(record, "notice", False):
            self.records.append(record)


def format_report(problems):
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    head = f"Build failed: {len(problems)} {noun} in {files} file{'s' if files != 1 else ''}."
    return "\n".join([head, *map(str, problems)])
