"""The public Q&A page: every question raised at a session, answered or still open.

The 4th dialogue evening advised putting the questions people ask on the website with their
answers. Questions come back, in other words, at later sessions; they are merged when their
text is similar enough: TF-IDF over character n-grams of the folded text (n-grams cope with Dutch
compounds and inflection: "selectiecriterium" and "criterium bij de selectie" share most of
theirs), compared by cosine similarity. A merged question shows the phrasing of its first
asking, the session where that was, and the latest answer any of its askings got; an answer wins
over "still open". The page is public: it passes the privacy guard before it is returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import Question, Session
from toolkit.casebook.tags import fold
from toolkit.errors import InvalidInputError
from toolkit.i18n import _
from toolkit.reports.environment import make_environment, render
from toolkit.reports.privacy import check_public
from toolkit.reports.verslag import output_sources, source_name

if TYPE_CHECKING:
    import numpy as np

QA_FORMATS: tuple[str, ...] = ("html", "md")
TEMPLATES: dict[str, str] = {"md": "qa/qa.md.j2", "html": "qa/qa.html.j2"}

#: Two questions at least this similar (cosine of their TF-IDF vectors, 0..1) are one question.
#: Rephrasings of the 4th evening's questions score 0.6-0.85, different questions on the same
#: subject ("OV-chipkaart" and "overhead", both asking the municipality) stay below 0.35; see
#: tests/reports/test_qa.py.
SIMILARITY_THRESHOLD = 0.5

_PUNCTUATION = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class QaOptions:
    format: str = "html"
    templates: Path | None = None


@dataclass(frozen=True)
class Asked:
    """One question as it was asked at one session."""

    session: Session
    index: int
    question: Question

    @property
    def when(self) -> tuple[date, int, str, int]:
        return (self.session.date, self.session.number or 0, self.session.id, self.index)


@dataclass(frozen=True)
class SessionRef:
    title: str
    date: date


@dataclass(frozen=True)
class QaEntry:
    question: str
    theme: str | None
    answer: str | None
    first_raised: SessionRef
    answered_at: SessionRef | None
    also_asked_as: tuple[str, ...]
    times_asked: int

    @property
    def is_open(self) -> bool:
        return self.answer is None


@dataclass(frozen=True)
class QaTheme:
    name: str | None
    entries: tuple[QaEntry, ...]


@dataclass(frozen=True)
class QaPage:
    title: str
    themes: tuple[QaTheme, ...]
    answered: int
    open: int


def gather(casebook: Casebook) -> list[Asked]:
    """Every question of every session, oldest session first."""
    return [
        Asked(session, index, question)
        for session in casebook.sessions_by_date()
        for index, question in enumerate(session.questions)
    ]


def _prepare(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


def similarities(texts: Sequence[str]) -> np.ndarray[Any, Any]:
    """The cosine similarity of every pair of question texts (a square matrix)."""
    # Imported here: scikit-learn takes seconds to load, and every command imports this module.
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    if not texts:
        return np.zeros((0, 0))
    vectoriser = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=_prepare
    )
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # nothing but punctuation: no n-grams at all
        return np.eye(len(texts))
    return np.asarray(cosine_similarity(matrix))


def merge(asked: Sequence[Asked], threshold: float = SIMILARITY_THRESHOLD) -> list[list[Asked]]:
    """Group the askings of one question, in order of first asking.

    Each asking, oldest first, joins the group holding the most similar earlier asking when
    that similarity reaches ``threshold``, else starts a group of its own.
    """
    ordered = sorted(asked, key=lambda a: a.when)
    scores = similarities([a.question.text for a in ordered])
    groups: list[list[int]] = []
    group_of: list[int] = []
    for i in range(len(ordered)):
        best, best_score = -1, threshold
        for j in range(i):
            if scores[i, j] >= best_score:
                best, best_score = group_of[j], float(scores[i, j])
        if best < 0:
            best = len(groups)
            groups.append([])
        groups[best].append(i)
        group_of.append(best)
    return [[ordered[i] for i in group] for group in groups]


def _entry(group: Sequence[Asked]) -> QaEntry:
    first = group[0]
    answered = [a for a in group if not a.question.is_open]
    latest = answered[-1] if answered else None
    variants: dict[str, None] = {}
    for asked in group[1:]:
        if fold(asked.question.text) != fold(first.question.text):
            variants.setdefault(asked.question.text, None)
    theme = next((a.question.theme for a in group if a.question.theme), None)
    return QaEntry(
        question=first.question.text,
        theme=theme,
        answer=latest.question.answer if latest else None,
        first_raised=SessionRef(first.session.title, first.session.date),
        answered_at=SessionRef(latest.session.title, latest.session.date) if latest else None,
        also_asked_as=tuple(variants),
        times_asked=len(group),
    )


def qa_page(casebook: Casebook, threshold: float = SIMILARITY_THRESHOLD) -> QaPage:
    """The Q&A page's content: merged questions grouped by theme (themes A-Z, the rest last)."""
    entries = [_entry(group) for group in merge(gather(casebook), threshold)]
    by_theme: dict[str, list[QaEntry]] = {}
    names: dict[str, str | None] = {}
    for entry in entries:
        key = fold(entry.theme) if entry.theme else ""
        by_theme.setdefault(key, []).append(entry)
        names.setdefault(key, _capitalise(entry.theme) if entry.theme else None)
    themes = tuple(
        QaTheme(names[key], tuple(by_theme[key]))
        for key in sorted(by_theme, key=lambda k: (k == "", k))
    )
    answered = sum(1 for entry in entries if not entry.is_open)
    return QaPage(
        title=casebook.settings.name,
        themes=themes,
        answered=answered,
        open=len(entries) - answered,
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def question_sources(casebook: Casebook) -> Iterator[tuple[str, str, str]]:
    """The fields the page is made of, for the privacy guard: (session file, field, text)."""
    for session in casebook.sessions_by_date():
        source = source_name(casebook, session)
        for index, question in enumerate(session.questions, start=1):
            for name in ("text", "theme", "answer"):
                value = getattr(question, name)
                if value:
                    yield source, f"questions[{index}].{name}", value


def render_qa(casebook: Casebook, options: QaOptions) -> str:
    """The Q&A page as HTML or Markdown; raises PrivacyError rather than leak personal data."""
    if options.format not in QA_FORMATS:
        raise InvalidInputError(
            _("Unknown format '{format}'; choose one of: {formats}.").format(
                format=options.format, formats=", ".join(QA_FORMATS)
            ),
            field="format",
        )
    check_public(casebook, question_sources(casebook))
    page = qa_page(casebook)
    text = render(make_environment(options.templates), TEMPLATES[options.format], page=page)
    check_public(
        casebook, output_sources(_("Q&A page ({format})").format(format=options.format), text)
    )
    return text
