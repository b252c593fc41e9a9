"""The consultant's report text: parsing and safe HTML (cxaudit.richtext)."""

from hypothesis import given
from hypothesis import strategies as st

from cxaudit.richtext import Block, Run, parse, plain, runs, to_html


def test_empty_and_blank_texts_have_no_blocks():
    assert parse("") == ()
    assert parse("  \n\n \t\n") == ()


def test_blank_lines_separate_paragraphs_and_line_breaks_stay():
    blocks = parse("First line\nsecond line\n\n\nNext paragraph")
    assert blocks == (
        Block("p", ((Run("First line"),), (Run("second line"),))),
        Block("p", ((Run("Next paragraph"),),)),
    )
    assert to_html(blocks) == "<p>First line<br>second line</p><p>Next paragraph</p>"


def test_bulleted_and_numbered_lists():
    blocks = parse("Findings:\n- slow answers\n* no scripts\n• rude tone\n1. hire\n2) train")
    assert [block.kind for block in blocks] == ["p", "ul", "ol"]
    assert len(blocks[1].items) == 3
    assert to_html(blocks) == (
        "<p>Findings:</p><ul><li>slow answers</li><li>no scripts</li><li>rude tone</li></ul>"
        "<ol><li>hire</li><li>train</li></ol>"
    )


def test_windows_and_old_mac_line_ends():
    assert parse("a\r\n\r\nb\rc") == parse("a\n\nb\nc")


def test_bold_runs():
    assert runs("the **top** risk is **waiting**") == (
        Run("the "),
        Run("top", bold=True),
        Run(" risk is "),
        Run("waiting", bold=True),
    )


def test_unpaired_or_empty_bold_marks_are_shown_as_typed():
    assert runs("2 ** 3 and **open") == (Run("2 ** 3 and **open"),)
    assert runs("****") == (Run("****"),)
    assert to_html(parse("a ** b")) == "<p>a ** b</p>"


def test_a_dash_without_a_space_is_not_a_list():
    assert parse("-5% churn")[0].kind == "p"
    assert parse("2026. A good year")[0].kind == "p"  # a year is not a list number
    assert parse("12. Twelfth point")[0].kind == "ol"


def test_markup_is_escaped_everywhere():
    text = (
        '<script>alert(1)</script>\n- <img src=x onerror="alert(2)">\n'
        "**<b>bold</b>** & <a href='javascript:alert(3)'>x</a>"
    )
    html = to_html(parse(text))
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "onerror=&quot;alert(2)&quot;" in html
    assert "<strong>&lt;b&gt;bold&lt;/b&gt;</strong>" in html
    assert "&amp;" in html


def test_plain_drops_the_marks():
    assert plain(parse("**Summary**\n\n- one\n- two")) == "Summary\none\ntwo"


ALLOWED_TAGS = ("<p>", "</p>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<br>")


@given(st.text(max_size=300))
def test_only_the_allowed_tags_come_out_of_any_text(text):
    html = to_html(parse(text))
    for tag in (*ALLOWED_TAGS, "<strong>", "</strong>"):
        html = html.replace(tag, "")
    assert "<" not in html and ">" not in html


@given(st.text(alphabet=st.characters(blacklist_characters="*-•\r"), max_size=200))
def test_no_typed_character_is_lost(text):
    """Apart from list marks and blank lines, every non-space character typed is shown."""
    shown = plain(parse(text))
    typed = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    for line in typed:
        if line[:1].isdigit():
            continue  # "1. " may be a list mark
        assert line in shown
