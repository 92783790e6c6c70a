"""Run a local Isso comment server for previews and tests: loopback only, moderated.

Isso runs through `isso_app.py`, which believes X-Forwarded-For only from the proxies named in
the config's `[server] trusted-proxies` (none here: nothing stands between readers and it).
The config holds the admin password in plain text, so it is written readable by its owner only.
"""

import configparser
import importlib.util
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

APP = Path(__file__).with_name("isso_app.py")


def write_config(template, target, *, dbpath, site_origins, port, password, trusted_proxies=()):
    """A runnable Isso config from the repository's template and this run's values, mode 0600."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(template, encoding="utf-8")
    config["general"]["dbpath"] = str(dbpath)
    config["general"]["host"] = "\n".join(site_origins)
    config["server"]["listen"] = f"http://127.0.0.1:{port}/"
    config["server"]["trusted-proxies"] = "\n".join(trusted_proxies)
    config["admin"]["password"] = password
    config["moderation"]["enabled"] = "true"
    # The folders hold the password and readers' e-mail and IP addresses.
    Path(target).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    Path(dbpath).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file that was there keeps its mode through O_CREAT
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        config.write(out)
    return Path(target)


def start(config_path, port, timeout=30, **popen):
    """Start Isso and wait until it answers; the caller stops it."""
    if importlib.util.find_spec("isso") is None:
        raise RuntimeError("Isso is not installed: pip install -r requirements.txt")
    process = subprocess.Popen([sys.executable, str(APP), str(config_path)], **popen)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=2).close()
                return process
            except urllib.error.HTTPError:
                return process
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Isso did not start on 127.0.0.1:{port}") from None
                time.sleep(0.2)
    except BaseException:  # not started, or this process told to stop meanwhile: no Isso is left behind
        _stop(process)
        raise


def run(config_path, port, ready=lambda: None):
    """Start Isso, call `ready`, and wait; Ctrl-C, SIGTERM or SIGHUP to this process stop Isso too."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        process = start(config_path, port)
        try:
            ready()
            process.wait()
        finally:
            _stop(process)
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
