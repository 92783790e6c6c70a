"""Putting a new tree in the place of an old one, so that readers never see a half-written one."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def swap(new, current, remove_later=False):
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
        remove_in_background(holder)
    else:
        shutil.rmtree(holder, ignore_errors=True)


def remove_in_background(*folders):
    """Delete folders in a process that goes on after this one ends."""
    script = "import shutil, sys\nfor folder in sys.argv[1:]: shutil.rmtree(folder, ignore_errors=True)"
    subprocess.Popen([sys.executable, "-c", script, *map(str, folders)], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
