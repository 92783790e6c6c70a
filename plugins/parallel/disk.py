"""A build stopped by a full disk: one problem naming the file and the disk, no traceback."""

import errno
import os
import shutil
import sys

from strict.problems import BuildFailed, Problem, display_path, format_report

FULL = {errno.ENOSPC, errno.EDQUOT}


def stop_if_full(error, output_path):
    """End the build with one problem if `error` is a full disk (or quota); otherwise do nothing."""
    if not isinstance(error, OSError) or error.errno not in FULL:
        return
    mount = os.path.abspath(output_path)
    while not os.path.ismount(mount):
        mount = os.path.dirname(mount)
    free = shutil.disk_usage(mount).free // 2**20
    problem = Problem(display_path(error.filename or output_path), 0, "the disk is full; this could not be written",
                      f"free space on the disk mounted at {mount} ({free} MB free now), then build again")
    sys.stderr.write(format_report([problem]) + "\n")
    raise BuildFailed() from None
