"""What the facilitator asked for: the options of ``burgerbaan casussen`` as data."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

FORMATS: tuple[str, ...] = ("md", "html", "docx")
Format = Literal["md", "html", "docx"]


@dataclass(frozen=True)
class Request:
    """What the facilitator asked for (the options of ``burgerbaan casussen``)."""

    out: Path
    format: Format = "md"
    people: str | None = None
    select: int | None = None
    tables: int | None = None
    themes: str | None = None
    session: str | None = None
    intern: bool = False
    force: bool = False
    day: date = dataclasses.field(default_factory=date.today)
    #: A .docx made in Word whose styles, header and logo the Word files are written in.
    docx_template: Path | None = None
