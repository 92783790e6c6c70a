"""Files that would leave their folder: symlinks out of content/, symlink loops, links to files outside.

Pelican follows every symlink it meets: a link to /etc/passwd among the images publishes
that file, a link to a folder publishes the folder, and a link back to a folder above it
makes Pelican read the same posts again at every level until the system refuses the path.
So the content folder is checked for such links before Pelican lists a single file.
"""

import errno
import os
from urllib.parse import unquote

from .problems import display_path, report

LINK_FIX = "copy the file or folder into content/ instead of linking to it, or remove the link"
LOOP_FIX = "remove the link, or point it at a folder that does not contain it"


def inside(path, folder):
    """True if the absolute, normalised `path` is `folder` or lies below it."""
    return os.path.commonpath([path, folder]) == folder


def _link_target(path):
    return os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))


def link_cycle(path, steps=100):
    """The symlinks that lead round to each other from `path`, sorted; empty if the chain leaves them."""
    chain = [path]
    for _ in range(steps):
        if not os.path.islink(chain[-1]):
            return ()
        following = _link_target(chain[-1])
        if following in chain:
            return tuple(sorted(chain[chain.index(following) :]))
        chain.append(following)
    return ()


def _broken_link(path, root, loops_named):
    """(path, message, fix) for a symlink that leads nowhere, round in a loop or out of `root`; None if it is fine."""
    try:
        target = os.path.realpath(path, strict=True)
    except OSError as error:
        if error.errno != errno.ELOOP:
            return path, f"is a symlink to {os.readlink(path)}, which does not exist", "remove the link, or correct it"
        cycle = link_cycle(path)
        if path in cycle:
            if cycle in loops_named:
                return None
            loops_named.add(cycle)
            names = " and ".join(os.path.relpath(link, os.path.dirname(path)) for link in cycle)
            return path, f"is one of the symlinks {names}, which point at each other (a loop)", LOOP_FIX
        return path, "is a symlink that leads into a loop of symlinks", LOOP_FIX
    if not inside(target, root):
        return path, f"is a symlink to {target}, outside the content folder: the build would publish it", LINK_FIX
    return None


def symlink_problems(root):
    """(path, message, fix) for every symlink below `root` that leads outside it, nowhere, or in a loop.

    The folder is walked as Pelican walks it, following links to folders, with the real
    folders on the way down kept: a link to one of them would repeat it without end. Each
    link is named where it really is (`root` as given, then the real folders).
    """
    given, root = root, os.path.realpath(root)
    problems, loops_named, done = [], set(), set()

    def named(real):
        return os.path.normpath(os.path.join(given, os.path.relpath(real, root)))

    def visit(real, on_the_way):
        try:
            entries = sorted(os.scandir(real), key=lambda entry: entry.name)
        except OSError as error:
            problems.append((named(real), f"cannot be read ({error.strerror})", "make the folder readable, or remove it"))
            return
        for entry in entries:
            if entry.is_symlink():
                problem = _broken_link(entry.path, root, loops_named)
                if problem:
                    problems.append((named(problem[0]), *problem[1:]))
                    continue
                if not os.path.isdir(entry.path):
                    continue
                target = os.path.realpath(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                target = entry.path
            else:
                continue
            if target in on_the_way:
                problems.append((named(entry.path), f"is a symlink to {display_path(named(target))}/, a folder that contains it "
                                 "(directly or through other symlinks): the folder would repeat forever", LOOP_FIX))  # fmt: skip
            elif target not in done:
                visit(target, on_the_way | {target})
        done.add(real)

    visit(root, {root})
    return problems


def escapes(target, root):
    """True if `target` (a path joined to its base) leaves the folder `root`, as written or through a symlink."""
    as_written = inside(os.path.abspath(target), os.path.abspath(root))
    return not as_written or not inside(os.path.realpath(target), os.path.realpath(root))


def check_content_folder(settings):
    """Report every symlink in the content folder that leads outside it, nowhere, or in a loop; True if any."""
    found = symlink_problems(settings["PATH"])
    for path, message, fix in found:
        report(path, 0, message, fix)
    return bool(found)


def drop_unpublishable_links(generator):
    """Files linked with {static} or {attach} that are outside content/ or missing are not read as static files.

    The post's checks report each such link with its line; Pelican would add a problem
    naming the target alone (or, for a file outside, copy it outside the output folder).
    """
    root = generator.settings["PATH"]
    links = generator.context.get("static_links", set())

    def unpublishable(link):
        paths = {os.path.join(root, link), os.path.join(root, unquote(link))}
        return any(escapes(path, root) for path in paths) or not any(os.path.exists(path) for path in paths)

    links -= {link for link in links if unpublishable(link)}
