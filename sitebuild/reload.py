"""Reloading the open page in `invoke livereload`: each HTML page the preview serves loads a small
first-party script, which asks the preview for its file's stamp and reloads when it changes.

The script and the tag that loads it are added while serving, never written to output/: no
build, and so no publishing build, holds them. They come from the site's own origin, which
the Content-Security-Policy allows ('self' for scripts and for connections).
"""

import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PREFIX = "/_live/"
SCRIPT = PREFIX + "reload.js"
STAMP = PREFIX + "stamp"
_SCRIPT_FILE = Path(__file__).with_name("reload.js")
# What Pelican's server tries after a path, in its order.
_SUFFIXES = (".html", "/index.html", "")


def stamp(page):
    """What identifies one version of a page's bytes (a full build that rewrites it alike keeps it)."""
    return hashlib.blake2b(page, digest_size=8).hexdigest()


def with_reload_script(page):
    """An HTML page's bytes with the tag that loads the script, before </head> (or at the end)."""
    tag = f'<script src="{SCRIPT}" data-stamp="{stamp(page)}" defer></script>'.encode()
    head_end = page.lower().find(b"</head>")
    return page[:head_end] + tag + page[head_end:] if head_end >= 0 else page + tag


def preview_handler():
    """The request handler of `invoke serve`, plus the script, the stamps and the tag in every page."""
    from .serving import SiteRequestHandler  # noqa: PLC0415 - only previews pay for Pelican

    class PreviewHandler(SiteRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            address = urlsplit(self.path)
            if address.path == SCRIPT:
                return self._send(200, "text/javascript; charset=utf-8", _SCRIPT_FILE.read_bytes())
            if address.path == STAMP:
                page = self._file_of(parse_qs(address.query).get("page", ["/"])[0])
                return self._send(200, "text/plain", stamp(page.read_bytes()).encode()) if page else self._send(404)
            if address.path.startswith(PREFIX):
                return self._send(404)
            page = self._file_of(address.path)
            if page is not None and page.suffix == ".html":
                return self._send(200, "text/html; charset=utf-8", with_reload_script(page.read_bytes()))
            if page is None and not os.path.isdir(self.translate_path(address.path)):
                return self.send_not_found()
            return super().do_GET()

        def _file_of(self, path):
            """The file that serves a site path, as Pelican's server finds it; None if there is none."""
            for suffix in _SUFFIXES:
                candidate = Path(self.translate_path(path.rstrip("/") + suffix))
                if candidate.is_file():
                    return candidate
            return None

        def _send(self, status, content_type="text/plain", body=b""):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return PreviewHandler
