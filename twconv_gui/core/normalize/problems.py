"""Row problems: why a source row cannot be sent (errors) or what was dropped from it (warnings)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """An error keeps the row from being sent; a warning is shown but the row goes out; a row
    left out (by a filter of the mapping: failed, refunded…) is not a sale and is not sent."""

    ERROR = "error"
    WARNING = "warning"
    LEFT_OUT = "left out"


class ValueProblem(ValueError):  # noqa: N818 - a problem of a value, not a program error
    """Raised by a normalizer when one cell cannot become a valid API value.

    The message must make sense after "Column 'X', row N: " and must never quote a raw email
    address or phone number (they would end up in logs and reports). Say what is wrong and what
    the user can do, e.g. "is not an email address (it has no '@')".
    """

    def __init__(self, message: str, *, severity: Severity = Severity.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.severity = severity


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of one source row, as the user sees it in their spreadsheet.

    Attributes:
        row: 1-based row number as shown by Excel/LibreOffice for that row.
        field: the conversion field concerned (e.g. "email"), or "" for the whole row.
        column: the source column's name, or None when the field came from a constant.
        message: what is wrong and what to do; never contains a raw email or phone number.
        severity: ERROR (row not sent) or WARNING (row sent, something dropped or assumed),
            LEFT_OUT (not a sale: a filter of the mapping or a full refund left it out).
        conversion_id: the conversion id of the row, when the row is not sent (for reports).
    """

    row: int
    field: str
    column: str | None
    message: str
    severity: Severity = Severity.ERROR
    conversion_id: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_left_out(self) -> bool:
        return self.severity is Severity.LEFT_OUT

    def describe(self) -> str:
        """One line for terminals and logs: 'row 7, column "Email": ...'."""
        where = f"row {self.row}"
        if self.column:
            where += f', column "{self.column}"'
        elif self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"
