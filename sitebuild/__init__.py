"""Builds that never leave a half-written site: Pelican and Pagefind into a sibling folder, swapped in.

A build whose inputs and output are unchanged since the last one is skipped (see
`freshness`): it would write the same bytes.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .freshness import inputs_digest, is_fresh, remember

__all__ = ["build_atomically", "index_for_search", "normalise_search_index"]

UP_TO_DATE = "Nothing changed since the last build: {deploy}/ is up to date."


def build_atomically(settings_file, deploy_path, capture=False, extra_args=(), in_process=None):
    """Build with Pelican (and index for search) into a sibling folder; swap it in only if all succeeded.

    Pelican runs in the settings file's folder, so that it names files as editors see
    them there. Returns Pelican's CompletedProcess; on failure `deploy_path` is left as it was.
    `in_process(staging)`, if given, runs Pelican instead and returns its exit status; such a
    build always runs, whatever the last build's record says.
    """
    from pelican.settings import read_settings  # noqa: PLC0415 - only builds pay for importing Pelican

    settings_file = Path(settings_file).resolve()
    deploy = Path(deploy_path).resolve()
    try:
        settings = read_settings(str(settings_file))
    except Exception:  # noqa: BLE001 - settings that do not load: Pelican, run below, says why
        settings = {}
    inputs, cache = (inputs_digest(settings, settings_file, extra_args), Path(settings["CACHE_PATH"])) if settings else (None, None)
    command = [sys.executable, "-m", "pelican", "-s", str(settings_file), "-o", "<staging>", *extra_args]
    if in_process is None and settings and is_fresh(cache, deploy, inputs):
        message = UP_TO_DATE.format(deploy=os.path.relpath(deploy)) + "\n"
        if not capture:
            sys.stdout.write(message)
        return subprocess.CompletedProcess(command, 0, message if capture else None, "" if capture else None)
    deploy.parent.mkdir(parents=True, exist_ok=True)
    # Old sites whose removal was cut short (by a reboot, say).
    leftovers = [folder for folder in deploy.parent.glob(f".{deploy.name}.old-*") if folder.is_dir()]
    if leftovers:
        _remove_in_background(*leftovers)
    staging = Path(tempfile.mkdtemp(prefix=f"{deploy.name}.tmp-", dir=deploy.parent))
    command[command.index("<staging>")] = str(staging)
    # Captured logs are read by programs: keep Pelican's log lines unwrapped.
    env = {**os.environ, "COLUMNS": "1000"} if capture else None
    try:
        if in_process:
            result = subprocess.CompletedProcess(command, in_process(staging), "", "")
        else:
            result = subprocess.run(command, cwd=settings_file.parent, env=env, capture_output=capture, text=True,
                                    check=False)  # fmt: skip
        if result.returncode == 0:
            result = _joined(result, _pagefind(staging, settings, capture))
        # A language served at a host of its own searches its own index, from its own origin.
        for lang, options in settings.get("LANGUAGES", {}).items():
            if result.returncode == 0 and options.get("host"):
                result = _joined(result, _pagefind(staging / lang, settings, capture))
        if result.returncode == 0:
            _swap(staging, deploy, remove_later=True)
            if settings:
                remember(cache, deploy, inputs)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def index_for_search(site, settings):
    """Index a built site for search again, in place: the new index replaces the old one whole."""
    site = Path(site)
    fresh = Path(tempfile.mkdtemp(prefix="pagefind-", dir=site))
    try:
        result = _pagefind(site, settings, capture=True, bundle=fresh)
        if result.returncode == 0:
            _swap(fresh, site / "pagefind")
        return result
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _pagefind(site, settings, capture, bundle=None):
    """Run Pagefind over a built site. SEARCH_INDEX["glob"] names the pages it reads (by default every page)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    if settings.get("SEARCH_INDEX", {}).get("glob"):
        command += ["--glob", settings["SEARCH_INDEX"]["glob"]]
    if bundle:
        command += ["--output-path", str(bundle)]
    search = subprocess.run(command, capture_output=capture, text=True, check=False)
    if search.returncode == 0:
        normalise_search_index(bundle or Path(site) / "pagefind")
    return search


def _joined(build, search):
    """The build's result with Pagefind's: a Pagefind failure fails the build."""
    if search.returncode != 0:
        return search
    if build.stdout is None:
        return build
    return subprocess.CompletedProcess(build.args, 0, build.stdout + (search.stdout or ""), build.stderr + (search.stderr or ""))


def normalise_search_index(bundle):
    """Pagefind lists the languages in another order on each run: keep builds byte-identical."""
    entry = Path(bundle) / "pagefind-entry.json"
    if entry.exists():
        entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True), encoding="utf-8")


def _swap(new, current, remove_later=False):
    """Put `new` in the place of `current`, then delete the old tree, or have a process of its own delete it.

    Deleting a large site's tens of thousands of files takes seconds that nobody needs to
    wait for: the new site is in place by then.
    """
    if not current.exists():
        new.rename(current)
        return
    holder = Path(tempfile.mkdtemp(prefix=f".{current.name}.old-", dir=current.parent))
    current.rename(holder / current.name)
    new.rename(current)
    if remove_later:
        _remove_in_background(holder)
    else:
        shutil.rmtree(holder, ignore_errors=True)


def _remove_in_background(*folders):
    """Delete folders in a process that goes on after this one ends."""
    script = "import shutil, sys\nfor folder in sys.argv[1:]: shutil.rmtree(folder, ignore_errors=True)"
    subprocess.Popen([sys.executable, "-c", script, *map(str, folders)], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
