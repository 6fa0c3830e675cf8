"""The one Jinja2 environment every report renders through.

Templates are found first in a user's folder (``--templates DIR``), then in the shipped set, so a
secretary adapts one template without copying the rest. As soon as a user folder is given, all
rendering happens in Jinja2's immutable sandbox: a template from outside the project cannot reach
Python internals or change the data it is given. Undefined variables are errors
(``StrictUndefined``), so a typo in a template fails loudly instead of leaving a blank. Values
printed by a Markdown template (``*.md.j2``) have HTML tags neutralised, as HTML templates
escape them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import jinja2.exceptions
import jinja2.runtime
import jinja2.sandbox
from babel.lists import format_list
from markdown_it import MarkdownIt
from markupsafe import Markup

from toolkit.errors import ToolkitError
from toolkit.formatting import long_date, money, number
from toolkit.i18n import _, active_translations, current_language
from toolkit.paths import templates_dir


class TemplateError(ToolkitError):
    """A template is missing or broken; nothing was written."""


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})


def markdown_to_html(text: str | None) -> Markup:
    """Markdown from a case file as HTML; raw HTML in it is shown as text, never run."""
    # Safe to mark: markdown-it was told to escape raw HTML, so the text cannot inject markup.
    return Markup(_MARKDOWN.render(text or "").strip())


def and_list(items: Any) -> str:
    """``a, b en c`` (nl) or ``a, b and c`` (en)."""
    return format_list([str(item) for item in items], locale=current_language())


# A tag-like ``<`` (``<script``, ``</p``, ``<!--``, ``<?``); a lone ``<`` as in ``a < b`` is kept.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_MARKDOWN_SUFFIXES = (".md", ".md.j2")


def markdown_safe(text: str) -> str:
    """Text for a Markdown output: HTML tags in it are shown as text by any Markdown renderer."""
    return _TAG_START.sub("&lt;", text)


def markdown_cell(text: Any) -> str:
    """Text for one cell of a Markdown table: on one line, its pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    # Markdown outputs are published on the website, whose renderer may pass raw HTML through:
    # every value a Markdown template prints has its tags neutralised, whoever wrote the template.
    name = context.name or ""
    if (
        isinstance(value, str)
        and not isinstance(value, Markup)
        and name.endswith(_MARKDOWN_SUFFIXES)
    ):
        return markdown_safe(value)
    return value


def _autoescape(name: str | None) -> bool:
    return name is not None and ".html" in name


class _FlatUserLoader(jinja2.BaseLoader):
    """A user's folder may hold a copied template at its top (``verslag.md.j2``) instead of
    under the shipped sub-folder (``verslag/verslag.md.j2``); both are found."""

    def __init__(self, folder: Path) -> None:
        self._folder = jinja2.FileSystemLoader(str(folder))

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Any]:
        if "/" not in template:
            raise jinja2.TemplateNotFound(template)
        return self._folder.get_source(environment, template.rsplit("/", 1)[1])


def make_environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The environment for the active language; sandboxed when ``user_templates`` is given."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(templates_dir()))]
    if user_templates is not None:
        if not user_templates.is_dir():
            raise TemplateError(
                _("The template folder {path} does not exist.").format(path=user_templates)
            )
        loaders[:0] = [
            jinja2.FileSystemLoader(str(user_templates)),
            _FlatUserLoader(user_templates),
        ]
    cls = jinja2.sandbox.ImmutableSandboxedEnvironment if user_templates else jinja2.Environment
    environment = cls(
        loader=jinja2.ChoiceLoader(loaders),
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_translations(active_translations(), newstyle=True)  # type: ignore[attr-defined]
    environment.filters.update(
        markdown=markdown_to_html, money=money, number=number, long_date=long_date
    )
    environment.filters.update(
        and_list=and_list, markdown_safe=markdown_safe, markdown_cell=markdown_cell
    )
    environment.globals.update(language=current_language())
    return environment


def _shown_name(template: jinja2.Template, name: str) -> str:
    """A user's own template by its file, so they know which copy is at fault."""
    filename = template.filename
    if filename and not Path(filename).resolve().is_relative_to(templates_dir().resolve()):
        return filename
    return name


def render(environment: jinja2.Environment, name: str, **context: Any) -> str:
    """Render template ``name``; any template fault becomes a plain :class:`TemplateError`."""
    shown = name
    try:
        template = environment.get_template(name)
        shown = _shown_name(template, name)
        return template.render(**context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(_("The template {name} was not found.").format(name=exc.name)) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            _("The template {name} has an error on line {line}: {message}").format(
                name=exc.filename or exc.name or name, line=exc.lineno, message=exc.message
            )
        ) from exc
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(
            _("The template {name} tries something that is not allowed: {message}").format(
                name=shown, message=exc
            )
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            _("The template {name} uses something that does not exist: {message}").format(
                name=shown, message=exc.message
            )
        ) from exc
    except (
        jinja2.TemplateError,
        TypeError,
        ValueError,
        AttributeError,
        LookupError,
        ArithmeticError,
        RecursionError,
    ) as exc:
        # Whatever else a (user's) template does wrong ends here, never as a traceback.
        raise TemplateError(
            _("The template {name} could not be rendered: {message}").format(
                name=shown, message=exc
            )
        ) from exc
