"""The shared Jinja2 environment: Markdown outputs neutralise tags; faults become plain messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.i18n import set_language
from toolkit.reports.environment import (
    TemplateError,
    and_list,
    make_environment,
    markdown_cell,
    markdown_safe,
    render,
)


def folder_with(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "sjablonen" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path / "sjablonen"


def test_markdown_templates_neutralise_tags_and_others_do_not(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "a.md.j2", "{{ text }}|{{ _('%(t)s', t=text) }}\n")
    (folder / "b.txt.j2").write_text("{{ text }}\n", encoding="utf-8")
    environment = make_environment(folder)
    assert render(environment, "a.md.j2", text="<script>x</script> a < b") == (
        "&lt;script>x&lt;/script> a < b|&lt;script>x&lt;/script> a < b\n"
    )
    assert render(environment, "b.txt.j2", text="<b>") == "<b>\n"


def test_markdown_helpers() -> None:
    assert markdown_safe("<!-- x --> <?php 1 < 2") == "&lt;!-- x --> &lt;?php 1 < 2"
    assert markdown_cell("een | twee\n drie") == "een \\| twee drie"


def test_a_copy_at_the_top_of_the_users_folder_is_found(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "verslag.md.j2", "plat\n")
    environment = make_environment(folder)
    assert render(environment, "verslag/verslag.md.j2") == "plat\n"
    (folder / "verslag").mkdir()
    (folder / "verslag" / "verslag.md.j2").write_text("in de map\n", encoding="utf-8")
    assert render(make_environment(folder), "verslag/verslag.md.j2") == "in de map\n"


@pytest.mark.parametrize(
    "text",
    ["{{ 1 / 0 }}", "{% extends 't.j2' %}", "{{ [1][0:1:0] }}", "{{ '%d'|format('x') }}"],
)
def test_any_fault_of_a_template_becomes_a_template_error(tmp_path: Path, text: str) -> None:
    folder = folder_with(tmp_path, "t.j2", text)
    with pytest.raises(TemplateError, match=str(folder / "t.j2")):
        render(make_environment(folder), "t.j2")


def test_and_list_in_both_languages() -> None:
    assert and_list(["burgers", "gemeente", "UWV"]) == "burgers, gemeente en UWV"
    set_language("en")
    assert and_list(["citizens", "UWV"]) == "citizens and UWV"
