"""Images without alt text: the strict build names every one, with its file and line, in one build."""

import pytest

from strict.images import images_without_alt, source_lines


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<p><img alt="" src="a.jpg"> <img src="b.jpg"> <img alt="  " src=\'c.jpg\'></p>', ["a.jpg", "b.jpg", "c.jpg"]),
        ('<img src="a.jpg" alt="A crowd"><IMG SRC="d.jpg" ALT="Square">', []),
        ('<img alt src="x.jpg?a=1&amp;b=2">', ["x.jpg?a=1&b=2"]),
        ("<img>", [""]),
    ],
)
def test_images_without_alt_are_found_in_html(fragment, expected):
    assert images_without_alt(fragment) == expected


def test_the_same_image_twice_is_found_on_each_of_its_lines():
    text = "Title: x\n\n![](a.jpg)\n\ntext\n\n![](a.jpg)\n<img src=\"b.jpg?x=1&y=2\">\n"
    assert source_lines(text, ["a.jpg", "a.jpg", "b.jpg?x=1&y=2", "missing.jpg"]) == [3, 7, 8, 0]


def test_one_build_names_every_image_without_alt_text(site):
    site.post("first.md", body="Lead.\n\n![](https://x.org/1.jpg)\n\n![](https://x.org/2.jpg)\n\n![](https://x.org/1.jpg)\n")
    site.post("second.md", body='Lead.\n\n<img src="https://x.org/3.jpg">\n\n<img alt="" src="https://x.org/4.jpg">\n\n'
              '![A described photo](https://x.org/5.jpg)\n')  # fmt: skip
    site.post("third.md", body="Lead.\n\n![](https://x.org/6.jpg)\n\n![](https://x.org/7.jpg)\n")
    build = site.build()
    assert build.returncode == 1
    # Six metadata lines, a blank line, "Lead.", a blank line: the first image is on line 10.
    expected = [("first.md", 10, "1.jpg"), ("first.md", 12, "2.jpg"), ("first.md", 14, "1.jpg"), ("second.md", 10, "3.jpg"),
                ("second.md", 12, "4.jpg"), ("third.md", 10, "6.jpg"), ("third.md", 12, "7.jpg")]  # fmt: skip
    for name, line, image in expected:
        assert f"posts/{name}:{line}: the image https://x.org/{image} has no alt text" in build.stderr, (name, line)
    assert "Build failed: 7 problems in 3 files." in build.stderr
    assert "5.jpg" not in build.stderr and "(build)" not in build.stderr and "Empty alt attribute" not in build.stderr
