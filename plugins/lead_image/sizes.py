"""Which widths a lead image is resized to, what the files are called, and the srcset that lists them.

Pure functions: no file is read or written here.
"""

from pathlib import PurePosixPath
from urllib.parse import quote

# Where the resized copies go in the output, by the source's path below content/.
FOLDER = "images/lead"


def chosen_widths(original_width, widths):
    """The configured widths an image is resized to: those narrower than the original (an
    image is never enlarged), and the original's own width when it is narrower than them all
    or falls between the largest chosen and the next."""
    smaller = sorted({w for w in widths if w < original_width})
    if len(smaller) < len(set(widths)):
        smaller.append(original_width)
    return smaller


def resized_path(source, width, folder=FOLDER):
    """The output path of a resized copy: content/images/2024/naryn.jpg, 800 ->
    images/lead/2024/naryn-800.webp (its path below content/, less a leading images/, in `folder`)."""
    parts = PurePosixPath(source).with_suffix("").parts
    if parts[:1] == ("images",):
        parts = parts[1:]
    return f"{folder}/{'/'.join(parts)}-{width}.webp"


def scaled_height(width, original_width, original_height):
    return max(1, round(original_height * width / original_width))


def srcset(sources, base=""):
    """`srcset` of (path, width) pairs, each path percent-encoded (a comma or space in a file
    name would otherwise split the list) and put after `base`, the page's SITEURL."""
    prefix = f"{base}/" if base else ""
    return ", ".join(f"{prefix}{quote(path)} {width}w" for path, width in sources)


def fallback(sources, preferred=800):
    """The copy a browser without srcset loads: the widest not wider than `preferred`, else the narrowest."""
    fitting = [s for s in sources if s[1] <= preferred]
    return max(fitting, key=lambda s: s[1]) if fitting else min(sources, key=lambda s: s[1])
