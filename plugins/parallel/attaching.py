"""{attach} links resolved before the static files are copied, as in Pelican's own order of work.

An {attach} link moves the file it names next to the post that links it, when the post's
text is first rendered, and only while nothing has asked for the file's address yet. Plain
Pelican renders every post before it copies the static files; here pages are rendered
last (`WriteQueued`), after the static files were copied, so the move would come too late
and every {attach} link would fail. The posts that attach files are rendered once here first.
"""

# The context's lists of posts and pages, in the order Pelican's generators write them.
CONTENT_LISTS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")
_ATTACH_MARKS = ("{attach}", "|attach|")


def attaching(context):
    """The posts, pages and translations in `context` whose text has an {attach} link, in writing order."""
    for name in CONTENT_LISTS:
        for content in context.get(name, []):
            for version in [*getattr(content, "translations", []), content]:
                text = getattr(version, "_content", None) or ""
                if any(mark in text for mark in _ATTACH_MARKS):
                    yield version


class PlaceAttachments:
    """A generator put just before Pelican's StaticGenerator: renders the posts that attach files."""

    def __init__(self, context, **_):
        self.context = context

    def generate_output(self, writer):
        del writer  # writes nothing: rendering moves the attached files' output paths
        for content in attaching(self.context):
            content.get_content(content.get_siteurl())
