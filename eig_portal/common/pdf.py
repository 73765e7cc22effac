"""PDF files uploaded by people: checked by parsing them (pypdf), never trusted by name.

``pdf_check`` accepts a file only when it starts with ``%PDF-`` at byte 0, pypdf reads it
(not encrypted, at least one page) and nothing in it can act on the reader's computer:
no JavaScript, no launch action, no embedded file (see ``FORBIDDEN_NAMES``). Names are looked
for both in the raw bytes and in every object reachable from the document's catalogue (where
pypdf has decoded compressed object streams and ``#xx`` escapes).
"""

from __future__ import annotations

import io
import re
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"
#: PDF names of active content: scripts, programs to launch, files carried inside.
FORBIDDEN_NAMES = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"}
)
_RAW_FORBIDDEN = re.compile(rb"/(JS|JavaScript|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z0-9])")
#: Most objects walked in one document (a bound on the work an upload can cause).
MAX_OBJECTS = 200_000


def _active_content_found(reader) -> bool:
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack, seen, walked = [reader.trailer], set(), 0
    while stack:
        node = stack.pop()
        walked += 1
        if walked > MAX_OBJECTS:
            return True  # too intricate to vouch for
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            stack.append(node.get_object())
        elif isinstance(node, DictionaryObject):
            if FORBIDDEN_NAMES.intersection(node.keys()):
                return True
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, NameObject) and node in FORBIDDEN_NAMES:
            return True
    return False


def pdf_check(data: bytes, *, name: str) -> None:
    """Raise ``ValidationError`` (code ``not_pdf``, ``unreadable`` or ``active_content``, the
    message naming ``name``) unless ``data`` is a readable PDF without active content."""
    if not data.startswith(PDF_MAGIC):
        raise ValidationError(
            _("Le fichier « %(name)s » n'est pas un PDF.") % {"name": name}, code="not_pdf"
        )
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted or len(reader.pages) < 1:
            raise ValueError("encrypted or empty")
        active = bool(_RAW_FORBIDDEN.search(data)) or _active_content_found(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ValidationError(
            _("Le fichier « %(name)s » est un PDF illisible, protégé ou sans page.")
            % {"name": name},
            code="unreadable",
        ) from None
    if active:
        raise ValidationError(
            _(
                "Le fichier « %(name)s » contient du contenu actif (JavaScript, lancement de "
                "programme ou fichier incorporé) : enregistrez-le à nouveau en PDF simple."
            )
            % {"name": name},
            code="active_content",
        )


def pdf_file_name(name: str) -> str:
    """``name`` without its folders, ending in ``.pdf`` (« Budget 2027.exe » → « Budget
    2027.pdf »), at most 255 characters; « document.pdf » when nothing is left."""
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    stem = base[:-4] if base.lower().endswith(".pdf") else PurePosixPath(base).stem
    stem = stem.strip(" .") or "document"
    return stem[:251] + ".pdf"
