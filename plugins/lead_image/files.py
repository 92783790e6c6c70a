"""The lead image's files: where the source is (never outside content/), its size, and the
resized WebP copies, made once per source version and kept in the cache folder."""

import hashlib
import os
import tempfile
from pathlib import Path

import PIL
from PIL import Image, ImageOps

_PREFIXES = ("{static}", "{filename}", "{attach}")


def requested_path(value, post_folder):
    """The content-relative path an `Image:` value names, as links do: from content/ with a
    leading "/", else from the post's folder (`post_folder`, content-relative); Pelican's
    `{static}` prefix is allowed. None for an address or a path that climbs out of content/."""
    value = value.strip()
    for prefix in _PREFIXES:
        value = value.removeprefix(prefix)
    if not value or "://" in value or value.startswith(("//", "data:")) or "\\" in value:
        return None
    joined = value.lstrip("/") if value.startswith("/") else f"{post_folder}/{value}" if post_folder else value
    parts = []
    for part in joined.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts) or None


def locate(content_root, relative):
    """(the real file, None) for a content-relative path, symlinks followed; else (None, why):
    "outside" when it leads out of content/ (or `relative` is None), "missing" when it names no file."""
    if relative is None:
        return None, "outside"
    root = Path(content_root).resolve()
    real = (root / relative).resolve()
    if not real.is_relative_to(root):
        return None, "outside"
    return (real, None) if real.is_file() else (None, "missing")


def image_size(path):
    """(width, height) as the image is shown (EXIF orientation applied); None if Pillow cannot read it."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except (OSError, Image.DecompressionBombError, ValueError):
        return None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _cache_key(source, width, quality):
    """A copy's name in the cache: its source's path, size and modification time (a changed
    picture is a new key without reading it), width, quality and the encoder's version."""
    stat = source.stat()
    key = f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{width}|{quality}|{PIL.__version__}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _encode(source, width, quality, target):
    with Image.open(source) as image:
        # A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still at least this wide and
        # high, whichever way it is turned: a 24-megapixel photo then never fills the memory.
        image.draft("RGB", (width, width))
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS) if width != image.width else image
        # No EXIF and no other metadata in the copy: a phone's photo carries where it was taken.
        _atomic_write(target, lambda out: resized.save(out, "WEBP", quality=quality, method=6))


def _atomic_write(target, write):
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        # mkstemp makes the file private; a published file is readable as any other.
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def write_copies(source, copies, output_path, cache_folder, quality):
    """Put each (output-relative path, width) copy of `source` into the output: left alone
    when it is there and newer than the source, else taken from the cache, which is filled
    when it lacks it. Returns the number of copies encoded."""
    encoded = 0
    for relative, width in copies:
        target = Path(output_path) / relative
        if target.is_file() and target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
            continue
        cached = Path(cache_folder) / f"{_cache_key(source, width, quality)}.webp"
        if not cached.is_file():
            _encode(source, width, quality, cached)
            encoded += 1
        _link_or_copy(cached, target)
    return encoded


def _link_or_copy(cached, target):
    """The cached copy into the output: a hard link (no bytes copied) where both are on one
    file system, else a copy. Builds write into a new folder and never change a file in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    try:
        os.link(cached, target)
    except OSError:
        _atomic_write(target, lambda out: out.write(cached.read_bytes()))
