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
import time
from collections.abc import Iterator
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


#: Limits of a user's template (the shipped ones stay far below them). A template may not make
#: a number, text or list larger than these, nor take longer: it is text written by someone
#: else, and a mistake such as ``range(10**9)`` or ``"x" * 10**10`` must not hang the toolkit or
#: exhaust memory.
MAX_RANGE = 10_000
MAX_NUMBER_BITS = 256
MAX_SEQUENCE = 1_000_000
MAX_OUTPUT_CHARS = 20_000_000
MAX_SECONDS = 20.0


class _LimitExceeded(jinja2.exceptions.SecurityError):
    pass


class _LimitedSandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """The sandbox for users' templates, with limits on size and time (see :data:`MAX_RANGE`)."""

    intercepted_binops = frozenset({"**", "*", "<<"})
    deadline: float = 0.0

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and abs(left) > 1
            and right * abs(left).bit_length() > MAX_NUMBER_BITS
        ):
            raise _LimitExceeded(
                _("a number that is too large ({left} ** {right})").format(left=left, right=right)
            )
        if operator == "<<" and isinstance(right, int) and right > MAX_NUMBER_BITS:
            raise _LimitExceeded(_("a number that is too large"))
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(times, int)
                    and len(seq) * times > MAX_SEQUENCE
                ):
                    raise _LimitExceeded(
                        _("a text or list that is too long (more than {count})").format(
                            count=MAX_SEQUENCE
                        )
                    )
        return super().call_binop(context, operator, left, right)

    def call(
        __self,
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        __self.check_time()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes, list, tuple)) and any(
            isinstance(a, int) and a > MAX_SEQUENCE for a in (*args, *kwargs.values())
        ):
            # "x".ljust(10**9), "x".center(…), "x".zfill(…): a text that is too long.
            raise _LimitExceeded(
                _("a text or list that is too long (more than {count})").format(count=MAX_SEQUENCE)
            )
        return super().call(__context, __obj, *args, **kwargs)

    def check_time(self) -> None:
        if self.deadline and time.monotonic() > self.deadline:
            raise _LimitExceeded(
                _("it takes longer than {seconds} seconds").format(seconds=int(MAX_SECONDS))
            )


def _limited_range(environment: _LimitedSandbox) -> Any:
    def limited_range(*args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise _LimitExceeded(_("a range of more than {count} numbers").format(count=MAX_RANGE))
        for value in numbers:
            environment.check_time()
            yield value

    return limited_range


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
    cls = _LimitedSandbox if user_templates else jinja2.Environment
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
    if isinstance(environment, _LimitedSandbox):
        environment.globals["range"] = _limited_range(environment)
    return environment


def _shown_name(template: jinja2.Template, name: str) -> str:
    """A user's own template by its file, so they know which copy is at fault."""
    filename = template.filename
    if filename and not Path(filename).resolve().is_relative_to(templates_dir().resolve()):
        return filename
    return name


def _render_limited(
    environment: _LimitedSandbox, template: jinja2.Template, context: dict[str, Any]
) -> str:
    """Render piece by piece, stopping at the output and time limits."""
    environment.deadline = time.monotonic() + MAX_SECONDS
    pieces: list[str] = []
    size = 0
    try:
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise _LimitExceeded(
                    _("the output is larger than {count} characters").format(count=MAX_OUTPUT_CHARS)
                )
            environment.check_time()
            pieces.append(piece)
    finally:
        environment.deadline = 0.0
    return "".join(pieces)


def render(environment: jinja2.Environment, name: str, **context: Any) -> str:
    """Render template ``name``; any template fault becomes a plain :class:`TemplateError`."""
    shown = name
    try:
        template = environment.get_template(name)
        shown = _shown_name(template, name)
        if isinstance(environment, _LimitedSandbox):
            return _render_limited(environment, template, context)
        return template.render(**context)
    except (_LimitExceeded, MemoryError) as exc:
        reason = str(exc) if isinstance(exc, _LimitExceeded) else _("too much memory")
        raise TemplateError(
            _(
                "The template {name} was stopped: {reason}. A template may only arrange the "
                "report's data; simplify it."
            ).format(name=shown, reason=reason)
        ) from None
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
