"""The privacy guard over the handouts: their data and every public file, as a reader sees it."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import zipfile
from collections.abc import Mapping

from toolkit.casebook.casebook import Casebook
from toolkit.i18n import _
from toolkit.reports.casussen.documents import KEY_STEM
from toolkit.reports.casussen.handouts import Handouts
from toolkit.reports.privacy import check_public, texts_of


def public_texts(name: str, content: bytes) -> list[tuple[str, str, str]]:
    """The text of one rendered public file as the privacy guard reads it."""
    if name.endswith(".docx"):
        return [(name, _("text"), docx_text(content))]
    text = content.decode("utf-8")
    if name.endswith(".html"):
        # Escaped characters (O&#39;Brien) must not hide a name from the guard; unescaping
        # changes nothing else, so the unescaped text is all there is to scan.
        text = html.unescape(text)
    return [(name, _("text"), text)]


#: The parts of a Word file that hold text a reader sees (body, headers, footers, properties).
_DOCX_TEXT_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)|docProps/\w+)\.xml$"
)


def docx_text(content: bytes) -> str:
    """The text a reader of a Word file can see, with its tags taken out."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for item in sorted(archive.namelist()):
            if _DOCX_TEXT_PARTS.match(item):
                xml = archive.read(item).decode("utf-8", errors="replace")
                # Paragraph and cell ends become line breaks so that words do not run together.
                xml = re.sub(r"</w:p>|</w:tc>|</dc:[a-z]+>|</cp:[a-z]+>", "\n", xml)
                parts.append(html.unescape(re.sub(r"<[^>]+>", "", xml)))
    return "\n".join(parts)


def check_handouts(casebook: Casebook, handouts: Handouts, files: Mapping[str, bytes]) -> None:
    """The privacy guard over the handouts' data and every public file (not the key)."""
    sources: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for field, text in texts_of(dataclasses.asdict(handouts)):
        # Labels and questions repeat in every case: scan each distinct text once.
        if text not in seen:
            seen.add(text)
            sources.append((_("handouts (data)"), field, text))
    for name, content in sorted(files.items()):
        if not name.startswith(KEY_STEM):
            sources.extend(public_texts(name, content))
    check_public(casebook, sources)
