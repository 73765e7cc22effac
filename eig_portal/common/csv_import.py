"""Reading an uploaded CSV file the same way everywhere: UTF-8 with or without BOM, ``,`` or
``;``, and errors that name their row (as in a spreadsheet, header = 1) and column. An import
checks the whole file first and raises ``ImportFileError`` listing every ``RowError``; nothing
is written then (response imports, outcome imports)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem of the file: ``row`` as in a spreadsheet (header = 1), ``column`` name."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("ligne %(row)s, colonne « %(column)s » : %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("ligne %(row)s : %(message)s") % {"row": self.row, "message": self.message}


class ImportFileError(ValidationError):
    """The file is invalid; nothing was written. ``errors`` lists every ``RowError``."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__([str(e) for e in errors])


def detect_separator(header_line: str) -> str:
    """``;`` when the header line has more semicolons than commas, else ``,``."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def decode_csv(data: bytes | str) -> str:
    """The text of the file (UTF-8, BOM removed); ``ImportFileError`` if not UTF-8."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            [
                RowError(
                    0, "", _("le fichier n'est pas en UTF-8 (octet %(byte)s)") % {"byte": exc.start}
                )
            ]
        ) from exc
