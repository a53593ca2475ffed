"""One escaper of Markdown syntax: what the importer writes and what reports show."""

from __future__ import annotations

import markdown
import pytest

from compendium.mdescape import escape_md, md_escape

PLAIN = [
    "a*b_c* `code`",
    "段落 {: .hidden }",
    "見 [[other-rule]]",
    "<b>粗體</b>",
    "1. 不是清單",
    "# 不是標題",
    "- 不是項目",
    "> 不是引文",
]


@pytest.mark.parametrize("text", PLAIN)
@pytest.mark.parametrize("escape", [escape_md, md_escape])
def test_escaped_text_renders_as_the_text_itself(text: str, escape) -> None:
    html = markdown.markdown(escape(text), extensions=["attr_list"])
    assert html.startswith("<p>") and html.endswith("</p>")
    assert "<b>" not in html and "<em>" not in html and "<code>" not in html
    assert "[[" not in escape(text)
    heading = markdown.markdown("#### " + escape(text), extensions=["attr_list"])
    assert "class=" not in heading and "<em>" not in heading  # a report's heading too


def test_the_importer_keeps_source_readable_where_reports_must_be_inert() -> None:
    assert escape_md("[平臺名稱] & 其他") == "[平臺名稱] & 其他"
    assert md_escape("[平臺名稱] & 其他") == "\\[平臺名稱\\] &amp; 其他"
    assert md_escape("甲\n乙 | 丙") == "甲 乙 \\| 丙"
