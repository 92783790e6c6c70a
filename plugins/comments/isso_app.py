"""Isso, believing X-Forwarded-For only from the proxies its config names: `python isso_app.py CONFIG`.

`isso run` wraps Isso in werkzeug's ProxyFix, whose defaults take the client's address from
the last X-Forwarded-For entry of every request, from anyone. Isso's rate limit and vote
guard count comments per address, so a client that sends a new header each time is a new
commenter each time. Here the address is the connection's, unless the connection comes from
an address in `[server] trusted-proxies`: then the client is the last address in
X-Forwarded-For that is not one of those proxies. From anyone else, X-Forwarded-* headers are
dropped before Isso sees them, so that no ProxyFix left inside (a later Isso's) can be fooled.
"""

import ipaddress
import sys
from urllib.parse import urlsplit

FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
             "HTTP_X_FORWARDED_PREFIX")  # fmt: skip


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def trusted_addresses(proxies):
    """The proxies' addresses, as `ipaddress` objects (so "::1" and "0:0::1" are one)."""
    addresses = {text: _address(text) for text in proxies if text.strip()}
    wrong = [text for text, address in addresses.items() if address is None]
    if wrong:
        raise ValueError(f"[server] trusted-proxies: {', '.join(wrong)} is not an IP address; name each proxy by its address")
    return set(addresses.values())


def client_address(peer, forwarded_for, trusted):
    """The address a request comes from: `peer` (the connection's), or, when `peer` is one of the
    `trusted` proxies, the last X-Forwarded-For address that is not a proxy."""
    if _address(peer) not in trusted:
        return peer
    for hop in reversed([hop for hop in (forwarded_for or "").split(",") if hop.strip()]):
        address = _address(hop)
        if address is None:
            return peer  # not what a proxy writes: believe the connection
        if address not in trusted:
            return str(address)
    return peer


class TrustedProxiesOnly:
    """WSGI middleware: X-Forwarded-* headers count only from the configured proxies."""

    def __init__(self, app, proxies):
        from werkzeug.middleware.proxy_fix import ProxyFix  # noqa: PLC0415 - werkzeug comes with Isso

        self.app = app
        self.trusted = trusted_addresses(proxies)
        # A trusted proxy also says under which prefix and scheme Isso is served.
        self.behind_proxy = ProxyFix(app, x_for=0, x_proto=1, x_prefix=1)

    def __call__(self, environ, start_response):
        peer = environ.get("REMOTE_ADDR", "")
        if _address(peer) in self.trusted:
            environ["REMOTE_ADDR"] = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"), self.trusted)
            return self.behind_proxy(environ, start_response)
        for header in FORWARDED:
            environ.pop(header, None)
        return self.app(environ, start_response)


def make_app(config_path):
    """Isso's own application for this config, without the ProxyFix that believes anyone."""
    from isso import config, make_app as isso_app  # noqa: PLC0415 - Isso is only needed where comments run
    from werkzeug.middleware.proxy_fix import ProxyFix  # noqa: PLC0415

    conf = config.load(config.default_file(), str(config_path))
    app = isso_app(conf)
    inner = app.app if isinstance(app, ProxyFix) else app
    return conf, TrustedProxiesOnly(inner, conf.getiter("server", "trusted-proxies"))


def main(argv):
    from werkzeug.serving import run_simple  # noqa: PLC0415

    if len(argv) != 2:
        sys.exit("usage: isso_app.py ISSO_CONFIG")
    conf, app = make_app(argv[1])
    listen = urlsplit(conf.get("server", "listen"))
    if listen.scheme != "http":
        sys.exit("isso_app.py: [server] listen must be an http:// address")
    run_simple(listen.hostname, listen.port, app, threaded=True)


if __name__ == "__main__":
    main(sys.argv)
