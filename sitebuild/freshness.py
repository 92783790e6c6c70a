"""Whether a built site is still what a build would make now: same inputs, untouched output.

The inputs are the resolved settings, every file under the content, theme and plugin
folders and the settings file, and the versions of the packages that render the site. A
build records their digest, and the digest of the output it swapped in, in the cache
folder; when both still match, building again would give the same bytes.
"""

import hashlib
import json
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path

RECORD = "site-builds.json"
PACKAGES = ("pelican", "markdown", "babel", "jinja2", "markupsafe", "pygments", "nh3", "pagefind", "feedgenerator", "pillow")


def stable_text(value):
    """Settings as text that is the same from run to run: functions by name, objects by type."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda item: str(item[0]))
        return "{" + ", ".join(f"{key!r}: {stable_text(v)}" for key, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(stable_text, value)) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(map(stable_text, value))) + "}"
    if isinstance(value, str | int | float | bool | type(None)):
        return repr(value)
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    text = repr(value)
    return type(value).__name__ if " at 0x" in text else text


def tree_stamp(folder, digest):
    """Feed every file's path, size and modification time under `folder` to `digest`."""
    folder = Path(folder)
    if folder.is_file():
        stat = folder.stat()
        digest.update(f"{folder}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        return
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        # Links to folders are not walked (their files are stamped where they are), but a new one changes the build.
        for name in subdirectories:
            if os.path.islink(path := os.path.join(directory, name)):
                digest.update(f"{os.path.relpath(path, folder)}\0->{os.readlink(path)}\n".encode())
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                stat = os.stat(path)
            except OSError:  # a symlink that leads nowhere or in a loop: the build reports it, with its path
                stat = os.lstat(path)
            digest.update(f"{os.path.relpath(path, folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())


def inputs_digest(settings, settings_file, extra_args=()):
    """The digest of everything a build of `settings_file` (read as `settings`) reads."""
    digest = hashlib.sha256(stable_text(settings).encode())
    digest.update(f"{sys.version}\0{stable_text(list(extra_args))}\n".encode())
    for package in PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none\n".encode())
    for folder in [settings["PATH"], settings["THEME"], *settings.get("PLUGIN_PATHS", []), settings_file,
                   Path(__file__).parent]:  # fmt: skip
        digest.update(f"{folder}\n".encode())
        tree_stamp(folder, digest)
    return digest.hexdigest()


def output_digest(folder):
    digest = hashlib.sha256()
    tree_stamp(folder, digest)
    return digest.hexdigest()


def _records(cache):
    try:
        return json.loads((cache / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_fresh(cache, deploy, inputs):
    """True if `deploy` holds the output of a build of these inputs, unchanged since."""
    record = _records(cache).get(str(deploy))
    return bool(record) and record["inputs"] == inputs and deploy.is_dir() and record["output"] == output_digest(deploy)


def remember(cache, deploy, inputs, built=None):
    """Record the build of `deploy` (its files now in `built`, if it is still to be swapped in);
    records of folders that are gone (a snapshot's) are dropped."""
    records = {path: record for path, record in _records(cache).items() if os.path.isdir(path)}
    records[str(deploy)] = {"inputs": inputs, "output": output_digest(built or deploy)}
    cache.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed into place: a build killed meanwhile leaves the last record whole.
    handle, partial = tempfile.mkstemp(prefix=f".{RECORD}.", dir=cache)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(records, indent=1, sort_keys=True))
        os.replace(partial, cache / RECORD)
    except BaseException:
        os.unlink(partial)
        raise
