"""Putting a new tree in the place of an old one, so that readers never see a half-written one, nor none.

On Linux the two trees trade places in one step (`renameat2` with RENAME_EXCHANGE): a web
server or rsync reading the folder finds the old site or the new one, whole, at every
instant, and a build killed at any point leaves one of them there. Where the call is missing
(another system, a C library older than glibc 2.28, a file system that cannot exchange), the
old tree is moved aside and the new one moved in: two renames, with a moment between them when
the folder is absent.
"""

import ctypes
import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def _renameat2():
    """libc's renameat2, or None where there is none."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def exchange(first, second):
    """Make `first` and `second` trade places in one step; False if this system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(error, os.strerror(error), str(first), None, str(second))


def swap(new, current, remove_later=False):
    """Put `new` in the place of `current`, then delete the old tree, or have a process of its own delete it.

    Deleting a large site's tens of thousands of files takes seconds that nobody needs to
    wait for: the new site is in place by then.
    """
    if not current.exists():
        new.rename(current)
        return
    holder = Path(tempfile.mkdtemp(prefix=f".{current.name}.old-", dir=current.parent))
    if exchange(new, current):
        # `new` now names the old tree; killed before this rename, it is a leftover the next build removes.
        new.rename(holder / current.name)
    else:
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
