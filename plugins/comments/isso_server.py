"""Run a local Isso comment server for previews and tests: loopback only, moderated."""

import configparser
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def write_config(template, target, *, dbpath, site_origins, port, password):
    """A runnable Isso config from the repository's template and this run's values."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(template, encoding="utf-8")
    config["general"]["dbpath"] = str(dbpath)
    config["general"]["host"] = "\n".join(site_origins)
    config["server"]["listen"] = f"http://127.0.0.1:{port}/"
    config["admin"]["password"] = password
    config["moderation"]["enabled"] = "true"
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(dbpath).parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8") as out:
        config.write(out)
    return Path(target)


def isso_command():
    """The `isso` program installed beside this Python, or on PATH."""
    local = Path(sys.executable).parent / "isso"
    return str(local) if local.exists() else shutil.which("isso")


def start(config_path, port, timeout=30, **popen):
    """Start Isso and wait until it answers; the caller stops it."""
    command = isso_command()
    if command is None:
        raise RuntimeError("Isso is not installed: pip install -r requirements-test.txt")
    process = subprocess.Popen([command, "-c", str(config_path), "run"], **popen)
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=2).close()
            return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"Isso did not start on 127.0.0.1:{port}") from None
            time.sleep(0.2)
