"""The placeholder texts of a new article (``make new-article``) and the warning
for an article that still has one."""

from __future__ import annotations

from compendium import DEFAULT_LANGUAGE
from compendium.source.model import Compendium
from compendium.source.problems import Problem, Problems

ZH_STUB = "（請在此撰寫條文。）"
EN_STUB = "(Write the English text of this article here.)"


def stub_warnings(comp: Compendium) -> list[Problem]:
    """A warning for every article whose text is still the scaffold's placeholder."""
    problems = Problems()
    stubs = {DEFAULT_LANGUAGE: ZH_STUB, "en": EN_STUB}
    for reg in comp.regulations.values():
        for art in reg.articles.values():
            for lang, text in art.texts.items():
                if text.body.strip() == stubs.get(lang):
                    problems.warning(
                        text.path,
                        text.body_line,
                        "the article still has the placeholder text of make new-article "
                        "(expected the article's text)",
                    )
    return problems.items
