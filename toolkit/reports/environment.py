"""The one Jinja2 environment every report renders through.

Templates are found first in a user's folder (``--templates DIR``), then in the shipped set, so a
secretary adapts one template without copying the rest. As soon as a user folder is given, all
rendering happens in Jinja2's immutable sandbox: a template from outside the project cannot reach
Python internals or change the data it is given. Undefined variables are errors
(``StrictUndefined``), so a typo in a template fails loudly instead of leaving a blank.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import jinja2.exceptions
import jinja2.sandbox
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from markdown_it import MarkdownIt
from markupsafe import Markup

from toolkit.errors import ToolkitError
from toolkit.i18n import _, active_translations, current_language
from toolkit.paths import templates_dir


class TemplateError(ToolkitError):
    """A template is missing or broken; nothing was written."""


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False})


def markdown_to_html(text: str | None) -> Markup:
    """Markdown from a case file as HTML; raw HTML in it is shown as text, never run."""
    # Safe to mark: markdown-it was told to escape raw HTML, so the text cannot inject markup.
    return Markup(_MARKDOWN.render(text or "").strip())


def money(value: float | None, decimals: bool = False) -> str:
    """An amount in euros in the active language: € 2.100 (nl) or €2,100 (en)."""
    if value is None:
        return ""
    pattern = None if decimals else "¤ #,##0" if current_language() == "nl" else "¤#,##0"
    return format_currency(
        value, "EUR", format=pattern, locale=current_language(), currency_digits=decimals
    )


def number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return ""
    pattern = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(value, format=pattern, locale=current_language())


def long_date(value: date | None) -> str:
    """23 oktober 2024 (nl) or 23 October 2024 (en)."""
    if value is None:
        return ""
    return format_date(value, format="d MMMM y", locale=current_language())


def _autoescape(name: str | None) -> bool:
    return name is not None and ".html" in name


def make_environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The environment for the active language; sandboxed when ``user_templates`` is given."""
    search = [str(templates_dir())]
    if user_templates is not None:
        if not user_templates.is_dir():
            raise TemplateError(
                _("The template folder {path} does not exist.").format(path=user_templates)
            )
        search.insert(0, str(user_templates))
    cls = jinja2.sandbox.ImmutableSandboxedEnvironment if user_templates else jinja2.Environment
    environment = cls(
        loader=jinja2.FileSystemLoader(search),
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
    environment.globals.update(language=current_language())
    return environment


def render(environment: jinja2.Environment, name: str, **context: Any) -> str:
    """Render template ``name``; any template fault becomes a plain :class:`TemplateError`."""
    try:
        return environment.get_template(name).render(**context)
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
                name=name, message=exc
            )
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            _("The template {name} uses something that does not exist: {message}").format(
                name=name, message=exc.message
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
            _("The template {name} could not be rendered: {message}").format(name=name, message=exc)
        ) from exc
