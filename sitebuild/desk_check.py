"""The desk's check of one post before it is saved: the build's own reading and strict checks,
and the post's text as the site renders it.

`python -m sitebuild.desk_check SETTINGS RELATIVE_PATH` reads the file's text on stdin and prints
JSON: {"problems": [{"line", "message", "fix"}], "html": the rendered text or ""}. It runs
Pelican, with the site's settings and plugins, on a content folder holding this file alone (at
its own relative path; a translation with its original), in a process of its own: plugins keep
state per run, and the preview server must not be held up by a build. Only the post's own
problems are reported.
"""

import contextlib
import io
import json
import logging
import re
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath


def safe_relative(path):
    """A post's path inside content/, or ValueError for one that would leave it."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts or relative.suffix != ".md":
        raise ValueError(f"not a Markdown file inside content/: {path!r}")
    return relative


def original_files(content, text):
    """The files in `content` that a translation's `Translation-of:` names: `<folder>/<slug>.md`."""
    header = text.split("\n\n", 1)[0]
    match = re.search(r"^Translation-of:[ \t]*(\S+)[ \t]*$", header, re.MULTILINE | re.IGNORECASE)
    if not match or "/" in match.group(1) or match.group(1).startswith("."):
        return []
    return sorted(p for p in Path(content).glob(f"*/{match.group(1)}.md") if p.is_file() and not p.is_symlink())


def check(settings_file, relative, text, project_content=None):
    from pelican.settings import read_settings  # noqa: PLC0415
    from strict.problems import ProblemCollector, problems_from_records  # noqa: PLC0415

    scratch = Path(tempfile.mkdtemp(prefix="tilmash-desk-check-"))
    try:
        content = scratch / "content"
        source = content / safe_relative(relative)
        source.parent.mkdir(parents=True)
        source.write_text(text, encoding="utf-8")
        # A translation is checked with its original beside it, as the build reads them.
        for original in original_files(project_content, text) if project_content else []:
            target = content / original.relative_to(project_content)
            if target != source:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(original, target)
        override = {"PATH": str(content), "OUTPUT_PATH": str(scratch / "output"), "CACHE_PATH": str(scratch / "cache"),
                    "LOAD_CONTENT_CACHE": False, "PARALLEL": {"workers": 1}, "DESK": {"enabled": False}}  # fmt: skip
        settings = read_settings(str(settings_file), override=override)
        collector = ProblemCollector(str(content))
        logging.getLogger().addHandler(collector)
        pelican = None
        try:
            module, name = settings["PELICAN_CLASS"].rsplit(".", 1)
            pelican = getattr(__import__(module), name)(settings)
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                pelican.run()
        except (Exception, SystemExit):  # noqa: BLE001 - the collector has the reasons
            pass
        finally:
            logging.getLogger().removeHandler(collector)
        problems = [p for p in problems_from_records(collector.records, str(content))
                    if Path(p.path).resolve() == source.resolve() or p.path == "(build)"]  # fmt: skip
        return {"problems": [{"line": p.line, "message": p.message, "fix": p.fix} for p in problems],
                "html": _rendered(scratch / "output", settings)}  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _rendered(output, settings):
    """The post's text from its built page (its article body), or "" if it was not built."""
    from lxml import html  # noqa: PLC0415

    pages = [p for p in output.rglob("index.html") if len(p.relative_to(output).parts) >= 4]
    for page in pages:
        body = html.parse(str(page)).getroot().find(".//div[@class='post-body']")
        if body is not None:
            return html.tostring(body, encoding="unicode")
    return ""


def main(argv=None):
    settings_file, relative, *content = argv or sys.argv[1:]
    # The project's plugins import each other as pelicanconf.py lets them.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
    from pelican.log import init as init_logging  # noqa: PLC0415

    # Warnings and errors are the problems; the build logs them at these levels.
    init_logging(level=logging.WARNING)
    text = sys.stdin.buffer.read().decode("utf-8")
    json.dump(check(settings_file, relative, text, *content), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
