"""Staging folders that killed builds left behind, told apart from those of builds still running.

A build holds a lock (`flock`) on its staging folder while it lives, and passes it on to the
Pelican process that writes there, so the lock is held as long as anything may write in the
folder. Two builds may run at once into different folders, or the same; a staging folder whose
lock can be taken belongs to none of them and is removed.
"""

import fcntl
import os
import tempfile
from pathlib import Path

from .swapping import remove_in_background


def _locked(folder, new=False):
    """An open descriptor of `folder` holding its lock; None if another process holds it or the folder is gone.

    On a file system without locks (some network ones) nothing can be proven abandoned: a `new`
    folder is then used unlocked, and no other is taken.
    """
    try:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if new and not isinstance(error, BlockingIOError):
            return handle
        os.close(handle)
        return None
    return handle


def staging_folder(deploy):
    """A new folder beside `deploy` to build into, and the locked descriptor that marks it as in use.

    Between its creation and its lock, another build may take the folder for a leftover and
    remove it: then it is no longer the folder at that path, and another is made.
    """
    while True:
        folder = Path(tempfile.mkdtemp(prefix=f"{deploy.name}.tmp-", dir=deploy.parent))
        handle = _locked(folder, new=True)
        if handle is None:
            continue
        try:
            if os.stat(folder).st_ino == os.fstat(handle).st_ino:
                return folder, handle
        except FileNotFoundError:
            pass
        os.close(handle)


def remove_abandoned(deploy):
    """Remove what killed builds into `deploy` left: staging folders nobody holds, and old sites."""
    folders = [folder for folder in deploy.parent.glob(f".{deploy.name}.old-*") if folder.is_dir()]
    for folder in deploy.parent.glob(f"{deploy.name}.tmp-*"):
        handle = _locked(folder)
        if handle is None:
            continue
        try:
            # Moved aside under the lock: the build that made it (if it is only starting) sees it gone.
            holder = Path(tempfile.mkdtemp(prefix=f".{deploy.name}.old-", dir=deploy.parent))
            folder.rename(holder / folder.name)
            folders.append(holder)
        except OSError:
            pass
        finally:
            os.close(handle)
    if folders:
        remove_in_background(*folders)
