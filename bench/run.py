"""Time builds of the benchmark corpus: wall time and peak memory of each run."""

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    seconds: float
    peak_mib: float
    pages: int
    # The peak of Pagefind's processes and of the others (Pelican and its workers), apart.
    peaks_mib: dict = None


def settings_file(folder, overrides, name="benchconf.py"):
    """A settings file in `folder` that starts from the project's and applies `overrides`.

    The site is the one readers get: the authors' desk is left out unless `overrides` asks for it.
    """
    overrides = {"DESK": {"enabled": False}, **overrides}
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(REPO)!r})",
        "from pelicanconf import *",
        f"THEME = {str(REPO / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(REPO / 'plugins')!r}]",
        *(f"{key} = {value!r}" for key, value in overrides.items()),
    ]
    path, text = Path(folder) / name, "\n".join(lines) + "\n"
    # Rewritten only when it changes: a new date on it would make every build a full one.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def build_once(settings, output, clean=True):
    """Run plain `pelican` once and measure it; the run must succeed."""
    if clean:
        shutil.rmtree(output, ignore_errors=True)
    return measure([sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), "-q"], settings, output)


def build_site(settings, output):
    """Build as `invoke build` does (Pelican, Pagefind, swap) and measure it; the build must succeed."""
    script = (f"import sys; sys.path.insert(0, {str(REPO)!r}); from sitebuild import build_atomically; "
              f"sys.exit(build_atomically({str(settings)!r}, {str(output)!r}).returncode)")  # fmt: skip
    run = measure([sys.executable, "-c", script], settings, output)
    _until_removed(Path(output).parent.glob(f".{Path(output).name}.old-*"))
    return run


def _until_removed(folders, limit=600):
    """Wait while the build's old output is deleted in the background, so that the next run has the machine to itself."""
    folders, started = list(folders), time.monotonic()
    while any(folder.exists() for folder in folders) and time.monotonic() - started < limit:
        time.sleep(0.1)


def measure(command, settings, output):
    """Wall time, and the peak of the memory all the build's processes hold together."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=Path(settings).parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = MemorySampler(process.pid)
    sampler.start()
    log = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.stop()
    process.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the build failed:\n{log[-3000:]}")
    pages = sum(1 for _ in Path(output).rglob("*.html"))
    peaks = {kind: peak / 2**20 for kind, peak in sampler.peaks.items()}
    return Run(seconds, max(sampler.peak_bytes, usage.ru_maxrss * 1024) / 2**20, pages, peaks)


class MemorySampler(threading.Thread):
    """Samples, every 50 ms, the proportional set size (PSS) summed over a process and its descendants.

    PSS shares each page among the processes that map it, so forked workers are not counted
    twice for what they share with their parent.
    """

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_bytes, self.peaks, self._done = pid, 0, {}, threading.Event()

    def run(self):
        while not self._done.wait(0.05):
            sizes = {}
            for pid in _tree(self.pid):
                kind = "Pagefind" if "pagefind" in _command(pid) else "Pelican"
                sizes[kind] = sizes.get(kind, 0) + _pss_bytes(pid)
            self.peak_bytes = max(self.peak_bytes, sum(sizes.values()))
            for kind, size in sizes.items():
                self.peaks[kind] = max(self.peaks.get(kind, 0), size)

    def stop(self):
        self._done.set()
        self.join()


def _tree(pid):
    """The process and its descendants, whichever of their threads started them."""
    pids, index = [pid], 0
    while index < len(pids):
        for children in Path(f"/proc/{pids[index]}/task").glob("*/children"):
            try:
                pids.extend(int(child) for child in children.read_text().split())
            except OSError:
                pass
        index += 1
    return pids


def _command(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _pss_bytes(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class LiveSession:
    """`invoke livereload`'s resident build, started on a corpus, for timing edits as an editor sees them."""

    def __init__(self, settings, output):
        command = [sys.executable, "-u", "-m", "sitebuild.live", str(settings), str(output)]
        self.process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.sampler, self.output = MemorySampler(self.process.pid), Path(output)
        self.sampler.start()
        self._until("live: built")
        time.sleep(1)  # the watcher starts after the build
        # Edits are measured on their own: the first build is a full build, with its own peak.
        self.first_build_mib, self.sampler.peak_bytes = self.sampler.peak_bytes / 2**20, 0

    def edit(self, post, text, must_show, page):
        """Write `text` to `post`; seconds until the live build has written the pages that show it."""
        started = time.perf_counter()
        post.write_text(text, encoding="utf-8")
        line = self._until("live: wrote", "live: full build", "live: failed")
        seconds = time.perf_counter() - started
        if not line.startswith("live: wrote") or must_show not in page.read_text(encoding="utf-8"):
            raise RuntimeError(f"the live build did not write the edit as a text edit: {line}")
        self._until("live: text edit", "live: failed")
        return Run(seconds, self.sampler.peak_bytes / 2**20, int(line.split()[2]))

    def _until(self, *prefixes):
        for line in self.process.stdout:
            if line.startswith(prefixes):
                return line
        raise RuntimeError(f"the live build ended with status {self.process.wait()}")

    def close(self):
        self.process.terminate()
        self.process.wait()
        self.sampler.stop()
