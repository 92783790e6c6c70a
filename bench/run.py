"""Time Pelican builds of the benchmark corpus: wall time and peak memory of each run."""

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    seconds: float
    peak_mib: float
    pages: int


def settings_file(folder, overrides, name="benchconf.py"):
    """A settings file in `folder` that starts from the project's and applies `overrides`."""
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(REPO)!r})",
        "from pelicanconf import *",
        f"THEME = {str(REPO / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(REPO / 'plugins')!r}]",
        *(f"{key} = {value!r}" for key, value in overrides.items()),
    ]
    path = Path(folder) / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_once(settings, output, clean=True):
    """Run Pelican once and measure it; the run must succeed."""
    if clean:
        shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output), "-q"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=Path(settings).parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    log = process.stdout.read().decode("utf-8", "replace")
    process.stdout.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the build failed:\n{log[-3000:]}")
    pages = sum(1 for _ in Path(output).rglob("*.html"))
    return Run(seconds, usage.ru_maxrss / 1024, pages)
