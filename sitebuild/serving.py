"""The local server of `invoke serve` and `invoke livereload`: Pelican's, answering a missing page
with the site's own 404 page, in the language of the site it was asked of."""

import os

from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer


def not_found_page(root, request_path):
    """The 404 page a missing address gets: its language site's (`/ru/…` → `ru/404.html`), else the site's."""
    first = request_path.split("?", 1)[0].lstrip("/").split("/", 1)[0]
    for candidate in (os.path.join(root, first, "404.html") if first else None, os.path.join(root, "404.html")):
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


class SiteRequestHandler(ComplexHTTPRequestHandler):
    def do_GET(self):
        if self.get_path_that_exists(self.path.split("?", 1)[0]) is None:
            self.send_not_found()
            return
        super().do_GET()

    def send_not_found(self):
        page = not_found_page(self.base_path, self.path)
        body = b"Not found\n" if page is None else open(page, "rb").read()
        self.send_response(404)
        self.send_header("Content-Type", "text/plain; charset=utf-8" if page is None else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class SiteServer(RootedHTTPServer):
    allow_reuse_address = True


def site_server(directory, host, port, handler=SiteRequestHandler):
    """A server of `directory` on host:port; raises OSError when it cannot listen.

    Pelican's server keeps its folder on the handler class: each server gets a class of its own.
    """
    return SiteServer(str(directory), (host, int(port)), type("FolderRequestHandler", (handler,), {}))
