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

UP_TO_DATE = "Nothing changed since the last build: {deploy}/ is up to date."


def build_atomically(settings_file, deploy_path, capture=False, extra_args=()):
    """Build with Pelican (and index for search) into a sibling folder; swap it in only if all succeeded.

    Pelican runs in the settings file's folder, so that it names files as editors see
    them there. Returns Pelican's CompletedProcess; on failure `deploy_path` is left as it was.
    """
    settings_file = Path(settings_file).resolve()
    deploy = Path(deploy_path).resolve()
    command = [sys.executable, "-m", "pelican", "-s", str(settings_file), "-o", "<staging>", *extra_args]
    inputs, cache = inputs_digest(settings_file, extra_args)
    if is_fresh(cache, deploy, inputs):
        message = UP_TO_DATE.format(deploy=os.path.relpath(deploy)) + "\n"
        if not capture:
            sys.stdout.write(message)
        return subprocess.CompletedProcess(command, 0, message if capture else None, "" if capture else None)
    deploy.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{deploy.name}.tmp-", dir=deploy.parent))
    command[command.index("<staging>")] = str(staging)
    # Captured logs are read by programs: keep Pelican's log lines unwrapped.
    env = {**os.environ, "COLUMNS": "1000"} if capture else None
    try:
        result = subprocess.run(
            command, cwd=settings_file.parent, env=env, capture_output=capture, text=True, check=False
        )
        if result.returncode == 0:
            result = _index_for_search(staging, capture, result)
        if result.returncode == 0:
            _swap(staging, deploy)
            remember(cache, deploy, inputs)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _index_for_search(site, capture, build):
    """Run Pagefind over the built site; its result joins the build's (a failure fails the build)."""
    search = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
                            capture_output=capture, text=True, check=False)  # fmt: skip
    if search.returncode == 0:
        normalise_search_index(site)
    if search.returncode != 0 or not capture:
        return search if search.returncode != 0 else build
    return subprocess.CompletedProcess(build.args, 0, build.stdout + search.stdout, build.stderr + search.stderr)


def normalise_search_index(site):
    """Pagefind lists the languages in another order on each run: keep builds byte-identical."""
    entry = Path(site) / "pagefind/pagefind-entry.json"
    if entry.exists():
        entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True), encoding="utf-8")


def _swap(new, current):
    retired = current.with_name(f"{current.name}.old-{os.getpid()}")
    if current.exists():
        current.rename(retired)
    new.rename(current)
    shutil.rmtree(retired, ignore_errors=True)
