"""The PARALLEL setting."""

import sys

from .forking import available_cores

SETTING = "PARALLEL"
DEFAULTS = {"workers": 0}


def workers(settings):
    """The number of processes a build uses; 0 means every core. A clear error for a bad value."""
    config = {**DEFAULTS, **settings.get(SETTING, {})}
    count = config["workers"]
    if set(config) != set(DEFAULTS) or not isinstance(count, int) or isinstance(count, bool) or count < 0:
        sys.stderr.write(f'Settings error: parallel: {SETTING} takes one key, "workers": a whole number, '
                         f"0 for every core (got {settings.get(SETTING)!r})\n")  # fmt: skip
        raise SystemExit(1)
    return count or available_cores()
