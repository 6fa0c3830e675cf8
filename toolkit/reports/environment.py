"""The one Jinja2 environment every report renders through.

Templates are found first in a user's folder (``--templates DIR``), then in the shipped set, so a
secretary adapts one template without copying the rest. As soon as a user folder is given, all
rendering happens in Jinja2's immutable sandbox: a template from outside the project cannot reach
Python internals or change the data it is given. Undefined variables are errors
(``StrictUndefined``), so a typo in a template fails loudly instead of leaving a blank.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import jinja2.exceptions
import jinja2.sandbox
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
    except (TypeError, ValueError, AttributeError) as exc:
        raise TemplateError(
            _("The template {name} could not be rendered: {message}").format(name=name, message=exc)
        ) from exc
