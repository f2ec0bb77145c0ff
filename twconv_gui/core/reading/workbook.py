"""XLSX/XLSM/XLSB/XLS/ODS reader on python-calamine, with zip-bomb and password checks."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from types import TracebackType

import python_calamine

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.header import MergedRange, SampleRow, detect_header, sample_size
from twconv_gui.core.reading.table import Cell, Row, Table
from twconv_gui.core.reading.text import looks_like_text, read_text_table

MAX_TOTAL_UNCOMPRESSED = 3 * 1024**3
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_SIZE = 50 * 1024**2

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_SCAN_CHUNK = 1024 * 1024
_RESAVE = "Open it in Excel (or LibreOffice) and save it again as .xlsx or .csv, then try again."


def _corrupt(name: str, kind: str, detail: str = "") -> ReadError:
    what = "an OpenDocument spreadsheet" if kind == "ods" else "a valid Excel workbook"
    reason = detail or f"it may be damaged or not really an .{kind} file"
    return ReadError(f"{name} is not {what} ({reason}). {_RESAVE}")


def _protected(name: str) -> ReadError:
    return ReadError(
        f"{name} is protected with a password: open it in Excel, remove the password "
        "(File › Info › Protect Workbook), save, and try again."
    )


def _has_encrypted_package(path: Path) -> bool:
    """True when an OLE2 file holds an "EncryptedPackage" stream (a password-protected OOXML)."""
    overlap = len(_ENCRYPTED_PACKAGE)
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_SCAN_CHUNK):
            if _ENCRYPTED_PACKAGE in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def _zip_content(path: Path, kind: str) -> str:
    """Check a zip-based workbook for zip bombs; return what it holds: xlsx, xlsb or ods."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as error:
        raise _corrupt(name, kind) from error
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_SIZE and ratio > MAX_COMPRESSION_RATIO:
            raise _zip_bomb(name, f"one part expands {ratio:,.0f} times")
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise _zip_bomb(name, f"it would expand to {total / 1024**3:,.1f} GB")
    names = {member.filename for member in members}
    if "mimetype" in names and "content.xml" in names:
        return "ods"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise _corrupt(name, kind, "it is a zip archive but holds no spreadsheet")


def _zip_bomb(name: str, detail: str) -> ReadError:
    return ReadError(
        f"{name} was refused because it is packed in a way that could be a zip bomb ({detail}). "
        "If you trust it, open it in Excel and save it as .csv, then use the .csv file."
    )


def _content_kind(path: Path, kind: str) -> str:
    """What the file really is: "xls" (OLE2), "xlsx"/"xlsb"/"ods" (zip) or "text"."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if head.startswith(OLE_MAGIC):
        if _has_encrypted_package(path):
            raise _protected(path.name)
        return "xls"
    if head.startswith(ZIP_MAGICS):
        return _zip_content(path, kind)
    if kind == "xls" and looks_like_text(head):
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start == b"<":
            raise ReadError(
                f"{path.name} is really a web page or XML file with an .xls name, which cannot "
                f"be read directly. {_RESAVE}"
            )
        return "text"
    raise _corrupt(path.name, kind)


class _CalamineGuard:
    """Turns anything calamine raises (errors and Rust panics alike) into a ReadError."""

    def __init__(self, name: str, kind: str, detail: str = "") -> None:
        self.name, self.kind, self.detail = name, kind, detail

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is None or isinstance(error, ReadError):
            return
        if isinstance(error, python_calamine.PasswordError):
            raise _protected(self.name) from error
        # pyo3 reports a Rust panic as PanicException, which derives from BaseException.
        if isinstance(error, Exception) or type(error).__name__ == "PanicException":
            raise _corrupt(self.name, self.kind, self.detail) from error


def _load(path: Path, kind: str, content: str) -> python_calamine.CalamineWorkbook:
    """Open the workbook with calamine, sniffing the content when the extension lies."""
    with _CalamineGuard(path.name, kind):
        if content == kind or (content == "xlsx" and kind == "xlsm"):
            return python_calamine.CalamineWorkbook.from_path(str(path))
        with path.open("rb") as handle:
            return python_calamine.CalamineWorkbook.from_filelike(handle)


def _load_sheet(
    workbook: python_calamine.CalamineWorkbook, index: int, name: str, kind: str
) -> python_calamine.CalamineSheet:
    detail = f"sheet \u201c{workbook.sheet_names[index]}\u201d cannot be read"
    with _CalamineGuard(name, kind, detail):
        return workbook.get_sheet_by_index(index)


def _cell(value: Cell) -> Cell:
    return None if value == "" else value


def _has_data(sheet: python_calamine.CalamineSheet) -> bool:
    if sheet.start is None or sheet.height == 0:
        return False
    for record in sheet.iter_rows():
        for value in record:
            if value != "" and not (isinstance(value, str) and value.isspace()):
                return True
    return False


def _sheet_list(names: Sequence[str]) -> str:
    return ", ".join(f"{number} = \u201c{name}\u201d" for number, name in enumerate(names, 1))


def _pick_index(workbook: python_calamine.CalamineWorkbook, sheet: str | int, name: str) -> int:
    names = list(workbook.sheet_names)
    if isinstance(sheet, str):
        if sheet in names:
            return names.index(sheet)
        folded = [candidate.strip().casefold() for candidate in names]
        wanted = sheet.strip().casefold()
        if wanted in folded:
            return folded.index(wanted)
        problem = f"has no sheet named \u201c{sheet}\u201d"
    else:
        if 1 <= sheet <= len(names):
            return sheet - 1
        problem = f"has no sheet number {sheet} (sheets are counted from 1)"
    raise ReadError(f"{name} {problem}. Its sheets are: {_sheet_list(names)}. Pick one of them.")


def _pick_default(
    workbook: python_calamine.CalamineWorkbook, name: str, kind: str
) -> tuple[int, python_calamine.CalamineSheet]:
    """The first sheet with data, visible worksheets first."""
    metadata = list(workbook.sheets_metadata)
    order = sorted(
        range(len(metadata)),
        key=lambda i: (metadata[i].visible != python_calamine.SheetVisibleEnum.Visible, i),
    )
    for index in order:
        if metadata[index].typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        candidate = _load_sheet(workbook, index, name, kind)
        if _has_data(candidate):
            return index, candidate
    raise ReadError(
        f"{name} has no data in any of its sheets. Check that you picked the right file."
    )


def _open_sheet(
    path: Path, kind: str, content: str, sheet: str | int | None
) -> tuple[tuple[str, ...], str, python_calamine.CalamineSheet]:
    workbook = _load(path, kind, content)
    with _CalamineGuard(path.name, kind), workbook:
        names = tuple(workbook.sheet_names)
        if sheet is None:
            index, chosen = _pick_default(workbook, path.name, kind)
        else:
            index = _pick_index(workbook, sheet, path.name)
            metadata = list(workbook.sheets_metadata)
            if metadata[index].typ != python_calamine.SheetTypeEnum.WorkSheet:
                raise ReadError(
                    f"Sheet \u201c{names[index]}\u201d of {path.name} is a chart or macro sheet, "
                    f"not a table. Pick another sheet: {_sheet_list(names)}."
                )
            chosen = _load_sheet(workbook, index, path.name, kind)
    return names, names[index], chosen


def workbook_sheet_names(path: Path) -> list[str]:
    """Every sheet name of a workbook, in order (empty for a text file saved as .xls)."""
    kind = path.suffix.lower().lstrip(".")
    content = _content_kind(path, kind)
    if content == "text":
        return []
    with _CalamineGuard(path.name, kind), _load(path, kind, content) as workbook:
        return list(workbook.sheet_names)


def read_workbook_table(
    path: Path, *, sheet: str | int | None = None, header_row: int | None = None
) -> Table:
    """Read one sheet of a workbook as a Table whose rows() re-walks the loaded sheet."""
    kind = path.suffix.lower().lstrip(".")
    content = _content_kind(path, kind)
    if content == "text":
        return read_text_table(path, header_row=header_row)
    names, sheet_name, loaded = _open_sheet(path, kind, content, sheet)
    where = f"Sheet \u201c{sheet_name}\u201d of {path.name}"
    start = loaded.start
    if start is None:
        raise ReadError(f"{where} is empty: there is no data in it. Pick another sheet.")
    first_column = start[1]

    limit = sample_size(header_row)
    sample: list[SampleRow] = []
    position = 0
    first_filled: int | None = None
    for position, record in enumerate(islice(loaded.iter_rows(), limit), 1):
        cells = [_cell(value) for value in record]
        if any(not (c is None or (isinstance(c, str) and c.isspace())) for c in cells):
            if first_filled is None:
                first_filled = position - 1
            sample.append((position, cells))
    # python-calamine 0.9 pads iter_rows() with empty rows above the used range, so the
    # position is the sheet row; should a version stop padding, shift by the range start.
    offset = 0 if first_filled is None or first_filled >= start[0] else start[0]
    if offset:
        sample = [(number + offset, cells) for number, cells in sample]
    try:
        merged: Sequence[MergedRange] = loaded.merged_cell_ranges or ()
    except Exception:
        merged = ()
    layout = detect_header(
        sample,
        where=where,
        rows_seen=position + offset,
        header_row=header_row,
        first_column=first_column,
        merged=merged,
    )
    width = layout.width
    skip = layout.header_row - offset
    estimate = max(0, start[0] + loaded.height - layout.header_row)

    def rows() -> Iterator[Row]:
        pad = (None,) * width
        number = layout.header_row
        for record in islice(loaded.iter_rows(), skip, None):
            number += 1
            for value in record:
                if value != "" and not (value.__class__ is str and value.isspace()):
                    break
            else:
                continue
            cells = tuple([None if value == "" else value for value in record[:width]])
            if len(cells) < width:
                cells = (*cells, *pad[len(cells) :])
            yield number, cells

    return Table(
        path=path,
        kind=kind,
        sheet=sheet_name,
        sheets=names,
        header_row=layout.header_row,
        columns=layout.columns,
        source_headers=layout.source_headers,
        rows_factory=rows,
        estimated_rows=estimate,
    )
