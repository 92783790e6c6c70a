"""Builds killed or starved of disk: output/ stays a whole site, the next build works and tidies up."""

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bench.run import settings_file as project_settings
from conftest import REPO, Site, require_system_tool, snapshot
from sitebuild import build_atomically
from sitebuild.disk import full_disk_path

POSTS = 30


@pytest.fixture(autouse=True)
def own_temporary_folder(tmp_path, monkeypatch):
    """Builds with a temporary folder of their own, to see what they leave there."""
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))


@pytest.fixture
def built(tmp_path):
    """A site of a few dozen posts, built once; a post then edited, so that the next build is a real one."""
    site = Site(tmp_path / "site")
    for number in range(POSTS):
        site.post(f"post-{number}.md")
    first = site.build()
    assert first.returncode == 0, first.log
    site.post("post-0.md", body="An edited lead paragraph.\n")
    return site, snapshot(first.output)


def leftovers(site):
    """What builds into the site's output/ may leave beside it, and in the cache and system temporary folders."""
    beside = [p.name for p in site.root.iterdir() if p.name.startswith(("output.tmp-", ".output.old-"))]
    partial = [p.name for p in (site.root / ".pelican-cache").rglob("*.partial-*")]
    return beside + partial


def listing(files):
    """The site's files, with the search index's (named by their digests) only counted, by folder."""
    pages = {path for path in files if not path.startswith("pagefind/")}
    index = sorted(path.rsplit("/", 1)[0] for path in files if path.startswith("pagefind/"))
    return pages, index


def temporary_files():
    return list(Path(os.environ["TMPDIR"]).iterdir())


def build_command(site, strace=()):
    """`build_atomically` of the site in a process of its own (under strace with these options, if any)."""
    settings = project_settings(site.root, {}, name="siteconf.py")
    script = (f"import sys; sys.path[:0] = [{str(REPO)!r}, {str(REPO / 'plugins')!r}]\n"
              "from sitebuild import build_atomically\n"
              f"sys.exit(build_atomically({str(settings)!r}, {str(site.root / 'output')!r}, capture=True).returncode)")
    prefix = ["strace", "-f", "-qq", "-o", str(site.root / "strace.log"), *strace] if strace else []
    return [*prefix, sys.executable, "-c", script]


def start(site, strace=()):
    return subprocess.Popen(build_command(site, strace), start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def kill(process):
    """kill -9 the build and every process it started."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_for(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


def assert_next_build_works_and_tidies(site):
    build = site.build()
    assert build.returncode == 0, build.log
    assert "An edited lead paragraph." in (build.output / "2024/03/post-0/index.html").read_text()
    # Old sites are removed by a process of their own: give it a moment.
    wait_for(lambda: not leftovers(site), f"the leftovers {leftovers(site)} to go", seconds=30)
    assert temporary_files() == []


def test_a_build_killed_while_pelican_writes_pages_leaves_the_old_site(built):
    site, before = built
    build = start(site)
    pages = lambda: [p for folder in site.root.glob("output.tmp-*") for p in folder.rglob("index.html")]  # noqa: E731
    wait_for(lambda: pages() or build.poll() is not None, "Pelican to write a page")
    kill(build)
    assert pages(), "killed before the swap, with pages written"
    assert snapshot(site.root / "output") == before
    assert_next_build_works_and_tidies(site)


@pytest.mark.parametrize("after", [False, True], ids=["at the swap", "right after the swap"])
def test_a_build_killed_at_the_swap_leaves_one_whole_site(built, after):
    require_system_tool("strace", "apt-get install strace")
    site, before = built
    output = site.root / "output"
    if not after:
        build = start(site, ["-P", str(output), "-e", "trace=rename,renameat2", "-e", "inject=rename,renameat2:signal=KILL:when=1"])
        assert build.wait(timeout=120) == -signal.SIGKILL, build.stderr.read()
        assert snapshot(output) == before
    else:
        # Held for ten seconds after the call that put the new site in place, and killed meanwhile.
        build = start(site, ["-P", str(output), "-e", "trace=rename,renameat2", "-e", "inject=rename,renameat2:delay_exit=10000000:when=1"])
        wait_for(lambda: snapshot(output) != before or build.poll() is not None, "the new site to be swapped in")
        kill(build)
        assert "An edited lead paragraph." in (output / "2024/03/post-0/index.html").read_text()
        assert listing(snapshot(output)) == listing(before), "the whole new site"
    assert leftovers(site), "a staging folder left, for the next build to remove"
    assert_next_build_works_and_tidies(site)


def test_a_build_killed_while_saving_the_reader_cache_leaves_it_readable(built):
    require_system_tool("strace", "apt-get install strace")
    site, before = built
    cache = next((site.root / ".pelican-cache").glob("*/ArticlesGenerator-Readers"))
    # The cache is written aside: Pelican is killed with it written, at the rename that would put it in place.
    build = start(site, ["-e", "trace=rename", "-e", "inject=rename:signal=KILL:when=1"])
    assert build.wait(timeout=120) != 0
    log = (site.root / "strace.log").read_text()
    killed = re.search(r'^(\d+) +rename\("[^"]*/ArticlesGenerator-Readers.partial-\w+", "[^"]*/ArticlesGenerator-Readers"', log, re.M)
    assert killed and re.search(rf"^{killed[1]} +\+\+\+ killed by SIGKILL \+\+\+", log, re.M), log
    assert snapshot(site.root / "output") == before
    build = site.build()
    assert build.returncode == 0, build.log
    assert "could not be read" not in build.log
    assert_next_build_works_and_tidies(site)


@pytest.mark.parametrize(("damage", "error"), [
    (lambda data: b"", "EOFError: Ran out of input"),
    (lambda data: data[: len(data) // 2], "UnpicklingError: pickle data was truncated"),
    (lambda data: b"not a pickle at all", "UnpicklingError"),
])  # fmt: skip
def test_a_reader_cache_that_cannot_be_read_is_dropped_with_one_warning(built, damage, error):
    site, _ = built
    cache = next((site.root / ".pelican-cache").glob("*/ArticlesGenerator-Readers"))
    cache.write_bytes(damage(cache.read_bytes()))
    build = site.build()
    assert build.returncode == 0, build.log
    warnings = [line for line in build.log.splitlines() if "could not be read" in line]
    assert len(warnings) == 1, build.log
    assert f".pelican-cache/{cache.parent.name}/ArticlesGenerator-Readers" in warnings[0] and error in warnings[0]
    assert "An edited lead paragraph." in (build.output / "2024/03/post-0/index.html").read_text()
    site.post("post-1.md", body="Another edit.\n")
    again = site.build()
    assert again.returncode == 0 and "could not be read" not in again.log, again.log


FULL_DISK_HOOK = """
    # Every write to one page of the site being built fails as on a full disk, naming no file.
    import builtins, errno, os
    _open = builtins.open

    class _Full:
        def __init__(self, file):
            self.file = file
        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        def __getattr__(self, name):
            return getattr(self.file, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.file.close()

    def open(file, mode="r", *args, **kwargs):
        opened = _open(file, mode, *args, **kwargs)
        if "w" in mode and "output.tmp-" in str(file) and str(file).endswith(PAGE):
            return _Full(opened)
        return opened

    builtins.open = open
"""


@pytest.mark.parametrize("page", ["2024/03/post-3/index.html", "index.html"])
def test_a_full_disk_is_one_problem_and_the_old_site_stays(built, tmp_path_factory, monkeypatch, page):
    site, before = built
    hook = tmp_path_factory.mktemp("hook")
    (hook / "sitecustomize.py").write_text(f"PAGE = {page!r}\n" + textwrap.dedent(FULL_DISK_HOOK))
    monkeypatch.setenv("PYTHONPATH", str(hook))
    build = site.build()
    assert build.returncode == 1
    assert "Traceback" not in build.log and "CRITICAL" not in build.log, build.log
    assert "Build failed: 1 problem in 1 file." in build.stderr, build.stderr
    assert f"output.tmp-" in build.stderr and f"/{page}: the disk is full" in build.stderr, build.stderr
    assert "fix: free space on the disk mounted at" in build.stderr, build.stderr
    assert snapshot(build.output) == before
    monkeypatch.delenv("PYTHONPATH")
    assert_next_build_works_and_tidies(site)


def test_a_full_disk_while_recording_the_build_is_one_problem(built, monkeypatch):
    site, before = built

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(site.root / ".pelican-cache/site-builds.json"))

    with monkeypatch.context() as patched:
        patched.setattr("sitebuild.freshness.os.replace", full)
        build = site.build()
    assert build.returncode == 1
    assert ".pelican-cache/site-builds.json: the disk is full" in build.stderr, build.stderr
    assert "fix: free space on the disk mounted at" in build.stderr and "output/ was left as it was" in build.stderr
    assert snapshot(build.output) == before
    assert_next_build_works_and_tidies(site)


def test_a_staging_folder_in_use_is_left_alone(built):
    """Two builds may run at once: a leftover is removed only when no process holds its lock."""
    import fcntl

    site, _ = built
    in_use = site.root / "output.tmp-running"
    in_use.mkdir()
    handle = os.open(in_use, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    abandoned = site.root / "output.tmp-killed"
    (abandoned / "2024").mkdir(parents=True)
    try:
        assert site.build().returncode == 0
        wait_for(lambda: not abandoned.exists(), "the abandoned staging folder to go", seconds=30)
        assert in_use.is_dir()
    finally:
        os.close(handle)


@pytest.mark.parametrize(("error", "path"), [
    (OSError(errno.ENOSPC, "No space left on device", "out/a.html"), "out/a.html"),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), ""),
    (OSError(errno.EACCES, "Permission denied", "out/a.html"), None),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", "x"), None),
    (ValueError("x"), None),
    (__import__("shutil").Error([("a", "out/b", "[Errno 28] No space left on device: 'out/b'")]), "out/b"),
    (__import__("shutil").Error([("a", "out/b", "[Errno 13] Permission denied: 'out/b'")]), None),
])  # fmt: skip
def test_full_disk_path(error, path):
    assert full_disk_path(error) == path


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a disk of its own, of 16 MB (a tmpfs); skipped where this process may not mount one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], capture_output=True,
                             check=False) if shutil.which("mount") else None  # fmt: skip
    if mounted is None or mounted.returncode != 0:
        pytest.skip("mounting a small disk needs root (CAP_SYS_ADMIN); the ENOSPC tests above cover the rest")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.parametrize("room", [0.1, 0.5, 0.9], ids=["while Pelican writes", "midway", "late"])
def test_a_really_full_disk_is_one_problem_and_the_old_site_stays(small_disk, room):
    site = Site(small_disk)
    for number in range(POSTS):
        site.post(f"post-{number}.md")
    first = site.build()
    assert first.returncode == 0, first.log
    before = snapshot(first.output)
    site.post("post-0.md", body="An edited lead paragraph.\n")
    # Room for a part of a second site only (the old one stays until the new one is whole).
    size = sum(len(data) for data in before.values())
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * max(free - int(size * room), 0))
    build = site.build()
    assert build.returncode == 1, build.log
    assert "Traceback" not in build.log and "CRITICAL" not in build.log, build.log
    assert "Build failed: 1 problem in 1 file." in build.stderr and ": the disk is full" in build.stderr, build.stderr
    assert f"fix: free space on the disk mounted at {small_disk} (" in build.stderr, build.stderr
    assert snapshot(build.output) == before
    (small_disk / "filler").unlink()
    assert_next_build_works_and_tidies(site)


def test_a_worker_sends_back_a_result_larger_than_a_pipe_holds():
    from parallel.forking import run_shared

    results = run_shared(8, lambda number: (time.sleep(0.02), str(number) * 200_000)[1], workers=2)
    assert results == {number: str(number) * 200_000 for number in range(8)}


def test_a_full_disk_in_a_worker_is_raised_as_itself():
    from parallel.forking import run_shared

    parent = os.getpid()

    def job(number):
        time.sleep(0.02)
        if os.getpid() != parent:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"out/{number}.html")

    with pytest.raises(OSError) as raised:
        run_shared(10, job, workers=2)
    assert raised.value.errno == errno.ENOSPC and raised.value.filename.startswith("out/")


def children_of(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def is_running(pid):
    """True until the process has ended (a zombie, its files closed, has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_staging_folder_is_kept_while_the_pelican_of_a_killed_build_still_writes_there(built):
    require_system_tool("strace", "apt-get install strace")
    from sitebuild.leftovers import remove_abandoned

    site, before = built
    output = site.root / "output"
    # Pelican held for a while at its first rename (its cache's), while the build that started it is killed alone.
    build = start(site, ["-e", "trace=rename", "-e", "inject=rename:delay_enter=8000000:when=1"])
    log = site.root / "strace.log"
    wait_for(lambda: log.exists() and "rename(" in log.read_text(), "Pelican to save its cache")
    (driver,) = children_of(build.pid)
    os.kill(driver, signal.SIGKILL)
    wait_for(lambda: not is_running(driver), "the build to end")
    staging = list(site.root.glob("output.tmp-*"))
    assert staging
    remove_abandoned(output)
    assert all(folder.is_dir() for folder in staging), "Pelican still holds it"
    kill(build)
    assert snapshot(output) == before
    assert_next_build_works_and_tidies(site)
