"""`invoke bench`: Tilmash against plain Pelican on the same generated corpus, in one run.

Scenarios: a cold full build; a rebuild with nothing changed; a rebuild after one post is
edited; and every language against the default language alone. Each figure is the median
of several runs; ratios compare builds measured in this same run, on this same machine.
"""

import hashlib
import shutil
import statistics
import subprocess
import sys
import time
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .corpus import write_corpus
from .run import build_once, settings_file

from tasks import normalise_search_index

PLAIN_SETTINGS = {
    "PATH": "content",
    "ARTICLE_PATHS": ["posts"],
    "TIMEZONE": "Asia/Almaty",
    "DEFAULT_LANG": "en",
    "SITEURL": "",
    "FEED_DOMAIN": "http://127.0.0.1:8000",
    "PLUGINS": [],
    "THEME": "notmyidea",
}


@dataclass
class Figure:
    scenario: str
    build: str
    seconds: float
    peak_mib: float
    pages: int

    @property
    def ms_per_page(self):
        return 1000 * self.seconds / max(self.pages, 1)


def plain_settings(folder):
    """Plain Pelican: its default theme, no plugins, on the same files."""
    lines = [f"{key} = {value!r}" for key, value in PLAIN_SETTINGS.items()]
    path = Path(folder) / "plainconf.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tilmash_build(settings, output, clean):
    """Pelican with every Tilmash plugin, then Pagefind, as `invoke build` runs them.

    A clean build also starts without Tilmash's content cache.
    """
    if clean:
        shutil.rmtree(Path(settings).parent / ".pelican-cache", ignore_errors=True)
    run = build_once(settings, output, clean)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--silent"], check=True)
    normalise_search_index(output)
    run.seconds += time.perf_counter() - started
    return run


def median(scenario, name, build, repeat):
    runs = [build() for _ in range(repeat)]
    return Figure(scenario, name, statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs), runs[-1].pages)


def tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def edit(post):
    original = post.read_text(encoding="utf-8")
    post.write_text(original + "\nAn editor added this sentence.\n", encoding="utf-8")
    return original


def run(posts, repeat=3, say=print):
    """Build the corpus in every scenario and return the figures."""
    figures = []
    with tempfile.TemporaryDirectory(prefix="tilmash-bench-") as scratch:
        root = Path(scratch)
        files = write_corpus(root / "content", posts)
        say(f"bench: {posts} English posts, {files} files in all (with translations), {repeat} runs each")
        tilmash, plain = settings_file(root, {"PATH": "content"}), plain_settings(root)
        out_t, out_p = root / "out-tilmash", root / "out-plain"
        for name, build in (("plain Pelican", lambda clean: build_once(plain, out_p, clean)),
                            ("Tilmash", lambda clean: tilmash_build(tilmash, out_t, clean))):  # fmt: skip
            figures.append(median("cold full build", name, lambda: build(True), repeat))
            figures.append(median("nothing changed", name, lambda: build(False), repeat))
            post = next((root / "content/posts").rglob("post-00000.md"))
            original = edit(post)
            figures.append(median("one post edited", name, lambda: build(False), repeat))
            post.write_text(original, encoding="utf-8")
        cold_digest = tree_digest(_fresh(tilmash, out_t))
        warm_digest = tree_digest(_warm(tilmash, out_t))
        say(f"bench: output identical cold and warm: {cold_digest == warm_digest}")

        alone = root / "alone"
        write_corpus(alone / "content", posts, languages=("en",))
        alone_settings = settings_file(alone, {"PATH": "content", "LANGUAGES": {"en": {}}})
        figures.append(median("default language alone", "Tilmash", lambda: tilmash_build(alone_settings, alone / "out", True), repeat))
        figures.append(median("all languages", "Tilmash", lambda: tilmash_build(tilmash, out_t, True), repeat))
    return figures


def _fresh(settings, output):
    tilmash_build(settings, output, True)
    return output


def _warm(settings, output):
    tilmash_build(settings, output, False)
    return output


def table(figures):
    """The figures as a Markdown table, each Tilmash figure as a ratio to plain Pelican's."""
    plain = {f.scenario: f for f in figures if f.build == "plain Pelican"}
    alone = next((f for f in figures if f.scenario == "default language alone"), None)
    lines = ["| scenario | build | wall time (s) | peak memory (MiB) | ms per page | pages | ratio |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
    for figure in figures:
        if figure.build == "Tilmash" and figure.scenario in plain:
            ratio = f"{figure.seconds / plain[figure.scenario].seconds:.2f}× plain Pelican"
        elif figure.scenario == "all languages" and alone:
            ratio = f"{figure.seconds / alone.seconds:.2f}× default language alone"
        else:
            ratio = ""
        lines.append(f"| {figure.scenario} | {figure.build} | {figure.seconds:.2f} | {figure.peak_mib:.0f} | "
                     f"{figure.ms_per_page:.2f} | {figure.pages} | {ratio} |")  # fmt: skip
    return "\n".join(lines)

