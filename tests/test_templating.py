"""Every output's templates behave the same: escaping, undefined names, bidi, filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import pytest

from compendium.templating import environment


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "page.html").write_text("<p>{{ x }}</p>{% include 'shared.html' %}\n")
    (tmp_path / "b" / "shared.html").write_text("<i>{{ x }}</i>")
    (tmp_path / "a" / "note.md").write_text("{{ x }} / {{ x | md }}\n")
    (tmp_path / "a" / "when.html").write_text("{{ d | date }} · {{ d | date('en') }}")
    (tmp_path / "a" / "print.css").write_text("{{ v | css_string }}")
    return tmp_path


def test_html_is_escaped_markdown_escapes_with_md_and_folders_are_searched_in_order(templates):
    env = environment(templates, "a", "b")
    assert env.get_template("page.html").render(x="<b>") == "<p>&lt;b&gt;</p><i>&lt;b&gt;</i>"
    assert env.get_template("note.md").render(x="*a*") == "*a* / \\*a\\*\n"


def test_an_undefined_name_is_an_error_not_an_empty_string(templates):
    with pytest.raises(jinja2.UndefinedError):
        environment(templates, "a").get_template("page.html").render()


def test_bidirectional_controls_never_reach_the_output(templates):
    out = environment(templates, "a", "b").get_template("page.html").render(x="a\u202eb")
    assert "\u202e" not in out and "ab" in out


def test_date_filter_uses_the_environments_language_unless_told(templates):
    when = dt.date(2026, 3, 1)
    zh = environment(templates, "a").get_template("when.html").render(d=when)
    en = environment(templates, "a", lang="en").get_template("when.html").render(d=when)
    assert zh.startswith("2026年3月1日 · ") and zh.endswith("1 March 2026")
    assert en == "1 March 2026 · 1 March 2026"
    css = environment(templates, "a").get_template("print.css").render(v='say "hi"\n')
    assert css == '"say \\"hi\\" "'
