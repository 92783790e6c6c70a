"""A full disk, reported as one problem that names what could not be written and the disk to free."""

import errno
import os
import shutil

FULL = {errno.ENOSPC, errno.EDQUOT}


def full_disk_path(error):
    """The path a write failed on because its disk (or quota) is full ("" if unnamed); None for any other error.

    `shutil.copytree` gathers its failures into one `shutil.Error` of (source, target, reason).
    """
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list):
        reasons = [os.strerror(number) for number in FULL]
        return next((target for _, target, reason in error.args[0] if any(r in str(reason) for r in reasons)), None)
    if isinstance(error, OSError) and error.errno in FULL:
        return error.filename or ""
    return None


def disk_of(path):
    """The mount point of the disk that holds `path`, and its free space in MB."""
    path = os.path.abspath(path)
    while not os.path.ismount(path):
        path = os.path.dirname(path)
    return path, shutil.disk_usage(path).free // 2**20


def full_disk_report(path, folder, kept):
    """The problem of a build stopped by a full disk: what could not be written, and the fix."""
    mount, free = disk_of(folder)
    return (f"Build failed: 1 problem in 1 file.\n{os.path.relpath(path or folder)}: the disk is full; "
            f"this could not be written\n    fix: free space on the disk mounted at {mount} ({free} MB free now), "
            f"then build again; {os.path.relpath(kept)}/ was left as it was\n")  # fmt: skip
