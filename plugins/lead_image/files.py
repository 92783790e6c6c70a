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


def inside(content_root, relative):
    """The real file a content-relative path names, if it is a file and, symlinks followed, still in content/."""
    root = Path(content_root).resolve()
    real = (root / relative).resolve()
    return real if real.is_relative_to(root) and real.is_file() else None


def image_size(path):
    """(width, height) as the image is shown (EXIF orientation applied); None if Pillow cannot read it."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except (OSError, Image.DecompressionBombError, ValueError):
        return None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _cache_key(data, width, quality):
    digest = hashlib.sha256(data)
    digest.update(f"|{width}|{quality}|{PIL.__version__}".encode())
    return digest.hexdigest()[:32]


def _encode(data_path, width, quality, target):
    with Image.open(data_path) as image:
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
    when it is there and newer than the source, else taken from the cache (keyed by the
    source's bytes, width, quality and Pillow's version), which is filled when it lacks it.
    Returns the number of copies encoded."""
    encoded = 0
    data = None
    for relative, width in copies:
        target = Path(output_path) / relative
        if target.is_file() and target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
            continue
        data = data if data is not None else source.read_bytes()
        cached = Path(cache_folder) / f"{_cache_key(data, width, quality)}.webp"
        if not cached.is_file():
            _encode(source, width, quality, cached)
            encoded += 1
        # A fresh modification time: newer than the source, so the next build leaves it alone.
        _atomic_write(target, lambda out, cached=cached: out.write(cached.read_bytes()))
    return encoded
