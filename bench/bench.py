"""`invoke bench`: Tilmash against plain Pelican on the same generated corpus, in one run.

Scenarios: a cold full build; a rebuild with nothing changed; a rebuild after one post is
edited; the same edit seen through `invoke livereload`; and every language against the
default language alone. Each figure is the median of several runs. The builds compared
run in rounds, one of each a round, and a ratio is the median of the rounds' ratios: a busy
spell on a shared machine then weighs on both sides of a ratio, not on one.
"""

import hashlib
import shutil
import statistics
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import write_corpus
from sitebuild.freshness import RECORD

from .run import LiveSession, build_once, build_site, settings_file

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
    peaks_mib: dict = None
    # Every run's seconds, in the order of the rounds: a ratio pairs the runs of one round.
    runs: list = field(default_factory=list)

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
    """A build with every Tilmash plugin, as `invoke build` runs it (Pelican, Pagefind, swap).

    A clean build also starts without Tilmash's cache (converted Markdown, the last build's record).
    """
    if clean:
        shutil.rmtree(Path(settings).parent / ".pelican-cache", ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
    return build_site(settings, output)


def rounds(builds, repeat):
    """Run each of `builds` ({(scenario, build): function}) once a round, `repeat` rounds; the figures.

    The builds compared with each other run in the same round, close in time, so that a
    busy spell on a shared machine falls on both rather than on one of them.
    """
    runs = defaultdict(list)
    for _ in range(repeat):
        for key, build in builds.items():
            runs[key].append(build())
    return [figure_of(scenario, name, runs[scenario, name]) for scenario, name in builds]


def figure_of(scenario, name, runs):
    """The median of `runs`, with the highest peaks."""
    peaks = {kind: max((r.peaks_mib or {}).get(kind, 0) for r in runs) for kind in (runs[-1].peaks_mib or {})}
    return Figure(scenario, name, statistics.median(r.seconds for r in runs), max(r.peak_mib for r in runs), runs[-1].pages,
                  peaks, [r.seconds for r in runs])  # fmt: skip


def ratio(figure, base):
    """`figure` against `base`: the median of the ratios of the runs made in the same round."""
    return statistics.median(a / b for a, b in zip(figure.runs, base.runs, strict=True))


def tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def edits(post):
    """`edited(build)`: edit `post`, run `build`, put the post back; each edit differs from the last,
    since a repeated one would change nothing."""
    original, count = post.read_text(encoding="utf-8"), 0

    def edited(build):
        nonlocal count
        count += 1
        post.write_text(original + f"\nAn editor added sentence {count}.\n", encoding="utf-8")
        try:
            return build()
        finally:
            post.write_text(original, encoding="utf-8")

    return edited


def run(posts, repeat=3, say=print, folder=None):
    """Build the corpus in every scenario, in a new folder inside `folder` (default: the system's temporary folder); the figures."""
    with tempfile.TemporaryDirectory(prefix="tilmash-bench-", dir=folder) as scratch:
        root = Path(scratch)
        files = write_corpus(root / "content", posts)
        say(f"bench: {posts} English posts, {files} files in all (with translations), {repeat} runs each")
        tilmash, plain = settings_file(root, {"PATH": "content"}), plain_settings(root)
        out_t, out_p = root / "out-tilmash", root / "out-plain"
        edited = edits(root / "content/posts/00/post-00000.md")
        builds = {}
        for name, build in (("plain Pelican", lambda clean: build_once(plain, out_p, clean)),
                            ("Tilmash", lambda clean: tilmash_build(tilmash, out_t, clean))):  # fmt: skip
            builds["cold full build", name] = lambda build=build: build(True)
            builds["nothing changed", name] = lambda build=build: build(False)
            builds["one post edited", name] = lambda build=build: edited(lambda: build(False))
        figures = rounds(builds, repeat)
        figures.append(_live_edits(tilmash, root / "out-live", root / "content", repeat))
        cold_digest = tree_digest(_fresh(tilmash, out_t))
        warm_digest = tree_digest(_warm(tilmash, out_t))
        say(f"bench: output identical cold and warm: {cold_digest == warm_digest}")

        # The same files, with only the default language's site (its list pages and feeds) built.
        alone = settings_file(root, {"PATH": "content", "TRANSLATIONS": {"untranslated": "note", "sites": ["en"]}},
                              name="aloneconf.py")  # fmt: skip
        figures += rounds({("default language alone", "Tilmash"): lambda: tilmash_build(alone, root / "out-alone", True),
                           ("all languages", "Tilmash"): lambda: tilmash_build(tilmash, out_t, True)}, repeat)  # fmt: skip
    return figures


def _live_edits(settings, output, content, repeat):
    """The preview an editor watches: `invoke livereload`'s resident build, after a text edit."""
    # The newest post: on the first index page of every language site, and in every feed it belongs to.
    post = max((content / "posts").glob("[0-9][0-9]/post-*.md"))
    original = post.read_text(encoding="utf-8")
    head, body = original.split("\n\n", 1)
    session = LiveSession(settings, output)
    try:
        (page,) = output.glob(f"[0-9][0-9][0-9][0-9]/[0-9][0-9]/{post.stem}/index.html")
        runs = [session.edit(post, f"{head}\n\nLive edit {n}.\n\n{body}", f"Live edit {n}.", page) for n in range(repeat)]
    finally:
        session.close()
        post.write_text(original, encoding="utf-8")
    edits_figure = figure_of("one post edited, livereload", "Tilmash", runs)
    edits_figure.peaks_mib = {"first build": session.first_build_mib}
    return edits_figure


def _fresh(settings, output):
    tilmash_build(settings, output, True)
    return output


def _warm(settings, output):
    """A build from the reader cache: without the last build's record, so that Pelican runs."""
    (Path(settings).parent / ".pelican-cache" / RECORD).unlink(missing_ok=True)
    tilmash_build(settings, output, False)
    return output


def table(figures):
    """The figures as a Markdown table, each Tilmash figure as a ratio to plain Pelican's."""
    plain = {f.scenario: f for f in figures if f.build == "plain Pelican"}
    alone = next((f for f in figures if f.scenario == "default language alone"), None)
    lines = ["| scenario | build | wall time (s) | peak memory (MiB) | ms per page | pages | ratio |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
    cold = {f.build: f for f in figures if f.scenario == "cold full build"}
    for figure in figures:
        ratios = []
        # The livereload edits are timed apart from the other builds: an absolute figure (target 2 s).
        if figure.build == "Tilmash" and figure.scenario in plain:
            ratios.append(f"{ratio(figure, plain[figure.scenario]):.2f}× plain Pelican")
        if figure.scenario in ("nothing changed", "one post edited") and figure.build in cold:
            ratios.append(f"{ratio(figure, cold[figure.build]):.2f}× its cold build")
        if figure.scenario == "all languages" and alone:
            ratios.append(f"{ratio(figure, alone):.2f}× default language alone")
        lines.append(f"| {figure.scenario} | {figure.build} | {figure.seconds:.2f} | {figure.peak_mib:.0f} | "
                     f"{figure.ms_per_page:.2f} | {figure.pages} | {', '.join(ratios)} |")  # fmt: skip
    for figure in figures:
        if figure.build == "Tilmash" and figure.scenario == "cold full build" and figure.peaks_mib:
            parts = ", ".join(f"{kind} {mib:.0f} MiB" for kind, mib in sorted(figure.peaks_mib.items()))
            lines.append(f"\nPeak memory of the Tilmash cold build, by program (they run one after the other): {parts}.")
        if figure.scenario == "one post edited, livereload" and figure.peaks_mib:
            lines.append(f"\n`invoke livereload`'s first build, before the edits: peak {figure.peaks_mib['first build']:.0f} MiB.")
    return "\n".join(lines)

