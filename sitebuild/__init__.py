"""Builds that never leave a half-written site: Pelican and Pagefind (`search`) into a sibling folder, swapped in.

A build whose inputs and output are unchanged since the last one is skipped (see
`freshness`): it would write the same bytes.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .disk import full_disk_path, full_disk_report
from .freshness import inputs_digest, is_fresh, remember
from .leftovers import remove_abandoned, staging_folder
from .search import SearchConfigError, index_for_search, search_config
from .swapping import swap

__all__ = ["build_atomically", "index_for_search"]

UP_TO_DATE = "Nothing changed since the last build: {deploy}/ is up to date."


def build_atomically(settings_file, deploy_path, capture=False, extra_args=()):
    """Build with Pelican (and index for search) into a sibling folder; swap it in only if all succeeded.

    Pelican runs in the settings file's folder, so that it names files as editors see
    them there. Returns Pelican's CompletedProcess; on failure `deploy_path` is left as it was.
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
    try:
        search_config(settings)
    except SearchConfigError as error:
        return _said(command, 1, f"{settings_file.name}: {error}\n", capture, problem=True)
    if deploy.parent.is_dir():
        # What builds cut short (killed, or by a reboot) left.
        remove_abandoned(deploy)
    if settings and is_fresh(cache, deploy, inputs):
        return _said(command, 0, UP_TO_DATE.format(deploy=os.path.relpath(deploy)) + "\n", capture)
    try:
        deploy.parent.mkdir(parents=True, exist_ok=True)
        staging, lock = staging_folder(deploy)
    except OSError as error:
        return _failed(error, command, deploy.parent, deploy, capture)
    command[command.index("<staging>")] = str(staging)
    # Captured logs are read by programs: keep Pelican's log lines unwrapped.
    env = {**os.environ, "COLUMNS": "1000"} if capture else None
    try:
        # Pelican and Pagefind hold the staging folder's lock too: killed, this process leaves it to them.
        result = subprocess.run(command, cwd=settings_file.parent, env=env, capture_output=capture, text=True,
                                check=False, pass_fds=(lock,))  # fmt: skip
        if result.returncode == 0:
            result = _joined(result, index_for_search(staging, settings, capture, previous=deploy, pass_fds=(lock,)))
        if result.returncode == 0:
            # Recorded before the swap: a swap that fails leaves a site that does not match the record.
            if settings:
                remember(cache, deploy, inputs, built=staging)
            swap(staging, deploy, remove_later=True)
        return result
    except (OSError, shutil.Error) as error:
        return _failed(error, command, staging, deploy, capture)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(lock)


def _failed(error, command, folder, deploy, capture):
    """A build stopped by a full disk, as one problem; any other error is raised."""
    path = full_disk_path(error)
    if path is None:
        raise error
    return _said(command, 1, full_disk_report(path, folder, deploy), capture, problem=True)

def _said(command, returncode, message, capture, problem=False):
    """The result of a build that stops with a message: printed now, or captured as Pelican's output would be."""
    if capture:
        return subprocess.CompletedProcess(command, returncode, "" if problem else message, message if problem else "")
    (sys.stderr if problem else sys.stdout).write(message)
    return subprocess.CompletedProcess(command, returncode, None, None)


def _joined(build, search):
    """The build's result with Pagefind's: a Pagefind failure fails the build."""
    if search.returncode != 0:
        return search
    if build.stdout is None:
        return build
    return subprocess.CompletedProcess(build.args, 0, build.stdout + (search.stdout or ""), build.stderr + (search.stderr or ""))
