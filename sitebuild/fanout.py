"""`invoke publish`: one build per target, made with that target's address, sent to each in turn.

A target that is refused or fails is reported and the next one goes on: a blocked mirror must
not keep the others stale. Every site names the main address as canonical (CANONICAL_SITEURL).
"""

import json
import shutil
import tempfile
from pathlib import Path

from . import build_atomically, mirrors, publishing, rclone


def address_args(url):
    """Pelican's arguments building the site for `url` (one -e: a second would replace the first)."""
    return ("-e", f"SITEURL={json.dumps(url)}", f"FEED_DOMAIN={json.dumps(url)}")


def publish_all(settings_file, targets, content, scratch, min_ratio, ssh_port=22, force=False, dry_run=False,
                say=print):  # fmt: skip
    """Build for and send to each target: (outcomes, {target name: its built site}) of the first that went well
    (the others' builds are removed once sent: a large site takes room)."""
    outcomes, sites = [], {}
    for target in targets:
        site = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=scratch)) / "site"
        say(f"publish: building for {target.name} ({target.url})")
        build = build_atomically(settings_file, site, extra_args=address_args(target.url))
        if build.returncode != 0:
            outcomes.append(mirrors.Outcome(target, error="the build failed, nothing was sent; fix the problems above first"))
            continue
        mirrors.write_stamp(site, mirrors.stamp(content, target))
        try:
            outcomes.append(_send(site, target, min_ratio, ssh_port, force, dry_run, say))
            if not sites:
                sites[target.name] = site
        except publishing.PublishError as error:
            outcomes.append(mirrors.Outcome(target, error=str(error)))
        if target.name not in sites:
            shutil.rmtree(site.parent, ignore_errors=True)
    return outcomes, sites


def _send(site, target, min_ratio, ssh_port, force, dry_run, say):
    if target.kind == "rclone":
        return rclone.publish(site, target, min_ratio, force=force, dry_run=dry_run, say=say)
    destination = publishing.normalise_target(target.destination)
    pages = publishing.publish(site, destination, ssh_port, min_ratio, force=force, dry_run=dry_run, say=say)
    return mirrors.Outcome(target, dry_run=pages is None, pages=pages or 0)
