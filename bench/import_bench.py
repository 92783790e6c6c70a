"""The import's benchmark: a generated WordPress export of N posts, imported, with its time and peak memory.

The export is shaped like a Global Voices one (WXR 1.1): posts of about 700 words with linked,
marked sources, a captioned image, a video, a translated quote, tweets, twenty comments each,
and an attachment per post, which makes 10,000 posts a few hundred MB. Each import runs in a
process of its own, which reports its own peak resident set size (getrusage).
"""

import html
import random
import subprocess
import sys
import time
from pathlib import Path

from .corpus import COUNTRIES, MARKERS, TOPICS, WORDS, _paragraph

ROOT = Path(__file__).resolve().parents[1]
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="WordPress/3.3.1" created="2012-04-02 10:00" -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.1/">
<channel>
	<title>Generated Voices</title><link>https://voices.example.org</link><language>en</language>
	<wp:wxr_version>1.1</wp:wxr_version>
"""


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _content(rng, number):
    parts = []
    for index in range(rng.randint(7, 10)):
        link = f'<a href="https://example.org/source/{number}/{index}">{" ".join(rng.sample(WORDS, 2))}</a>'
        marker = f" [{rng.choice(MARKERS)}]" if rng.random() < 0.5 else ""
        parts.append(f"{_paragraph(rng, WORDS, 3)} {link}{marker} {_paragraph(rng, WORDS, 2)}")
    image = f"https://voices.example.org/wp-content/uploads/2012/03/photo-{number}-300x200.jpg"
    parts.insert(2, f'[caption id="attachment_{number + 1}" align="alignright" width="300" caption="{_paragraph(rng, WORDS, 1)}"]'
                    f'<img class="size-medium wp-image-{number + 1}" src="{image}" alt="" width="300" height="200" />[/caption]')  # fmt: skip
    parts.insert(4, f'<div class="translation">{_paragraph(rng, WORDS, 2)}</div>')
    parts.insert(5, "".join(f'<blockquote class="twitter-tweet"><p>{_paragraph(rng, WORDS, 1)}</p></blockquote>\n' for _ in range(2)))
    parts.append(f"[embed]https://www.youtube.com/watch?v={number:011d}[/embed]")
    return "\n\n".join(parts)


def _comment(rng, number, index):
    return (f"<wp:comment><wp:comment_id>{number * 100 + index}</wp:comment_id><wp:comment_author>{_cdata('A reader')}"
            f"</wp:comment_author><wp:comment_author_email>reader{index}@mail.example.org</wp:comment_author_email>"
            f"<wp:comment_author_IP>192.0.2.{index}</wp:comment_author_IP><wp:comment_date>2012-03-05 10:00:00</wp:comment_date>"
            f"<wp:comment_content>{_cdata(_paragraph(rng, WORDS, 8))}</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>\n")  # fmt: skip


def write_export(path, posts, seed=18):
    """A WXR 1.1 export of `posts` posts (and one attachment each) at `path`; returns its size in bytes."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        out.write("".join(f"\t<wp:author><wp:author_login>author{i}</wp:author_login><wp:author_display_name>"
                          f"{_cdata(f'Author {i}')}</wp:author_display_name></wp:author>\n" for i in range(50)))  # fmt: skip
        for index in range(posts):
            number = 1000 + 2 * index
            day = f"20{10 + index % 12:02d}-{1 + index % 12:02d}-{1 + index % 28:02d}"
            title = f"{rng.choice(COUNTRIES)}: {_paragraph(rng, WORDS, 1)[:60].rstrip('.')}"
            categories = [rng.choice(COUNTRIES), "English", *rng.sample(TOPICS, 2)]
            terms = "".join(f'<category domain="category" nicename="c"><![CDATA[{html.escape(c)}]]></category>' for c in categories)
            out.write(f"\t<item><title>{html.escape(title)}</title><link>https://voices.example.org/{day}/post-{number}/</link>"
                      f"<dc:creator>author{index % 50}</dc:creator><content:encoded>{_cdata(_content(rng, number))}</content:encoded>"
                      f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{number}</wp:post_id>"
                      f"<wp:post_date>{day} 09:30:00</wp:post_date><wp:post_name>post-{number}</wp:post_name>"
                      f"<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>"
                      f"{terms}{''.join(_comment(rng, number, i) for i in range(20))}</item>\n")  # fmt: skip
            out.write(f"\t<item><title>photo-{number}</title><wp:post_id>{number + 1}</wp:post_id>"
                      f"<wp:post_parent>{number}</wp:post_parent><wp:post_type>attachment</wp:post_type>"
                      f"<excerpt:encoded>{_cdata(_paragraph(rng, WORDS, 1))}</excerpt:encoded>"
                      f"<wp:attachment_url>https://voices.example.org/wp-content/uploads/2012/03/photo-{number}.jpg</wp:attachment_url>"
                      "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                      f"<wp:meta_value>{_cdata('A photo from the post')}</wp:meta_value></wp:postmeta></item>\n")  # fmt: skip
        out.write("</channel>\n</rss>\n")
    return Path(path).stat().st_size


IMPORT = """
import sys
sys.path.insert(0, {plugins!r})
sys.path.insert(0, {root!r})
from importer.run import import_export
report = import_export({export!r}, {folder!r}, embed_hosts=["www.youtube-nocookie.com"], progress=None)
import resource
print(report.imported, report.unchanged, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure_import(export, folder):
    """(seconds, peak RSS in MiB, the import's printed counts) for one import in a process of its own."""
    code = IMPORT.format(plugins=str(ROOT / "plugins"), root=str(ROOT), export=str(export), folder=str(folder))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        raise RuntimeError(f"the import failed:\n{done.stderr}")
    imported, unchanged, peak = done.stdout.split()
    return seconds, int(peak) / 1024, (imported, unchanged)


def run(posts, folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    export = folder / f"export-{posts}.xml"
    size = write_export(export, posts)
    first = measure_import(export, folder / "imported")
    second = measure_import(export, folder / "imported")
    return {"posts": posts, "export MB": size / 1e6, "first": first, "again": second}


def table(figures):
    (t1, m1, c1), (t2, m2, c2) = figures["first"], figures["again"]
    return "\n".join([
        f"Export: {figures['posts']} posts, {figures['export MB']:.0f} MB (WXR 1.1, comments and attachments)",
        "| import | wall time (s) | peak RSS (MiB) | posts written | unchanged |",
        "| --- | --- | --- | --- | --- |",
        f"| first | {t1:.1f} | {m1:.0f} | {c1[0]} | {c1[1]} |",
        f"| again (nothing changed) | {t2:.1f} | {m2:.0f} | {c2[0]} | {c2[1]} |",
    ])  # fmt: skip
