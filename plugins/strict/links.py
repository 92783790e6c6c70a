"""Internal links and images in a post's HTML that point at files that do not exist."""

import os
import re
from urllib.parse import unquote, urlsplit

from .paths import escapes

_INTRASITE = re.compile(r"""(?P<attr>href|src)=(["'])(?P<value>(?:\{(?P<what>filename|static|attach)\}|\|(?P<old>filename|static|attach)\|)(?P<path>[^"'#?]*)[^"']*)\2""")
_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc=(["'])(?P<src>[^"']+)\1""")


def _resolve(path, source_path, content_root):
    """Pelican's rule: a leading / is relative to the content folder, else to the post's own."""
    path = unquote(path)
    base = content_root if path.startswith("/") else os.path.dirname(source_path)
    return os.path.normpath(os.path.join(base, path.lstrip("/")))


def missing_targets(fragment, source_path, content_root):
    """(text to find in the source, what is wrong, the path it would be) for every link or image with no file
    behind it, or one outside content/."""
    missing = []
    for match in _INTRASITE.finditer(fragment):
        kind = "image" if match["attr"] == "src" else "linked file"
        target = _resolve(match["path"], source_path, content_root) if match["path"] else None
        if target and escapes(target, content_root):
            missing.append((match["path"], f"the {kind} {match['path']!r} is outside the content folder, which alone is published", target))
        elif target and not os.path.exists(target):
            missing.append((match["path"], f"the {kind} {match['path']!r} does not exist", target))
    for match in _IMAGE.finditer(fragment):
        src = match["src"]
        parts = urlsplit(src)
        if parts.scheme or src.startswith(("{", "|", "//")):
            continue
        target = _resolve(parts.path, source_path, content_root)
        if not os.path.exists(target):
            missing.append((src, f"the image {src!r} does not exist", target))
    return missing
