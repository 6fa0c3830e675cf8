"""Text from case files is escaped in HTML; user templates cannot reach Python internals."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.reports.environment import TemplateError, make_environment, markdown_to_html, render

SCRIPT = "<script>alert(1)</script>"


def user_folder(tmp_path: Path, name: str, source: str) -> Path:
    folder = tmp_path / "mijn-sjablonen"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(source, encoding="utf-8")
    return folder


def test_html_templates_escape_values(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, "t.html.j2", "<p>{{ person }}</p>")
    out = render(make_environment(folder), "t.html.j2", person=SCRIPT)
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


@pytest.mark.parametrize("user_templates", [False, True])
def test_every_html_template_is_autoescaped(tmp_path: Path, user_templates: bool) -> None:
    folder = user_folder(tmp_path, "t.md.j2", "") if user_templates else None
    autoescape = make_environment(folder).autoescape
    assert callable(autoescape)
    assert autoescape("verslag/verslag.html.j2") is True
    assert autoescape("inzage/inzage.html.j2") is True
    assert autoescape("verslag/verslag.md.j2") is False


def test_markdown_filter_shows_raw_html_as_text() -> None:
    html = str(markdown_to_html(f"Hallo **{SCRIPT}** <img src=x onerror=alert(1)>"))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<strong>" in html


def test_markdown_filter_in_a_template_is_not_escaped_twice(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, "t.html.j2", "{{ text|markdown }}")
    out = render(make_environment(folder), "t.html.j2", text=f"*nadruk* {SCRIPT}")
    assert out.startswith("<p><em>nadruk</em> &lt;script&gt;")


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ joiner.__init__.__globals__.os }}",
        "{% set x = namespace() %}{{ x.__class__ }}",
    ],
)
def test_user_templates_cannot_reach_python_internals(tmp_path: Path, source: str) -> None:
    folder = user_folder(tmp_path, "eigen.md.j2", source)
    with pytest.raises(TemplateError, match="niet is toegestaan"):
        render(make_environment(folder), "eigen.md.j2")


def test_user_templates_cannot_change_the_data(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, "eigen.md.j2", "{{ items.append(4) }}")
    items = [1, 2, 3]
    with pytest.raises(TemplateError):
        render(make_environment(folder), "eigen.md.j2", items=items)
    assert items == [1, 2, 3]


@pytest.mark.parametrize(
    "source", ["{{ 1/0 }}", "{{ range(10**7)|list|length }}", "{{ [1][5] }}", "{% for %}"]
)
def test_any_template_fault_is_a_template_error(tmp_path: Path, source: str) -> None:
    folder = user_folder(tmp_path, "eigen.md.j2", source)
    with pytest.raises(TemplateError) as caught:
        render(make_environment(folder), "eigen.md.j2")
    assert "eigen.md.j2" in str(caught.value)


def test_a_harmless_user_template_renders(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, "eigen.md.j2", "{{ amount|money }} {{ _('yes') }}")
    assert render(make_environment(folder), "eigen.md.j2", amount=2100) == "€ 2.100 ja"
