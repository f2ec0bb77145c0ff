"""XLSX/XLSM/XLSB/XLS/ODS reader on python-calamine, with zip-bomb and password checks."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from types import TracebackType

import python_calamine

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.biff_extents import check_xls_extents
from twconv_gui.core.reading.cleaning import EMPTY_VALUES
from twconv_gui.core.reading.header import (
    HeaderLayout,
    MergedRange,
    SampleRow,
    detect_header,
    preamble_of,
    sample_size,
)
from twconv_gui.core.reading.package_checks import check_sheet_extents, check_zip_bomb
from twconv_gui.core.reading.table import Cell, Row, Table
from twconv_gui.core.reading.text import looks_like_text, read_text_table

# Workbooks up to this size have every sheet loaded to give sizes in an error message.
SIZE_READ_LIMIT = 20 * 1024**2

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
            check_zip_bomb(members, name)
            check_sheet_extents(archive, name)  # before the library lays out any sheet
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as error:
        raise _corrupt(name, kind) from error
    names = {member.filename for member in members}
    if "mimetype" in names and "content.xml" in names:
        return "ods"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise _corrupt(name, kind, "it is a zip archive but holds no spreadsheet")


def _content_kind(path: Path, kind: str) -> str:
    """What the file really is: "xls" (OLE2), "xlsx"/"xlsb"/"ods" (zip) or "text"."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if head.startswith(OLE_MAGIC):
        if _has_encrypted_package(path):
            raise _protected(path.name)
        try:
            check_xls_extents(path, path.name)  # before the library lays out any sheet
        except ValueError as error:
            raise _corrupt(path.name, kind, "its OLE2 structure cannot be read") from error
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


@dataclass(frozen=True)
class _Survey:
    """The top of a loaded sheet: its sampled rows and the header found in them."""

    sample: list[SampleRow]
    offset: int
    layout: HeaderLayout
    more_below: bool  # the sample stopped before the end of the sheet

    @property
    def has_data_rows(self) -> bool:
        """True when a row below the header holds data (or may, below the sample)."""
        return self.more_below or any(number > self.layout.header_row for number, _ in self.sample)


def _survey(
    loaded: python_calamine.CalamineSheet, where: str, header_row: int | None
) -> _Survey | None:
    """Sample the top of the sheet and find its header; None for an empty sheet."""
    start = loaded.start
    if start is None:
        return None
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
    if not sample:
        return None
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
        first_column=start[1],
        merged=merged,
    )
    return _Survey(sample, offset, layout, more_below=position >= limit)


def _size(sheet: python_calamine.CalamineSheet | None, kind: python_calamine.SheetTypeEnum) -> str:
    """A sheet's size as the sheet lists in messages show it: "61 rows × 14 columns"."""
    if kind != python_calamine.SheetTypeEnum.WorkSheet:
        return "chart or macro sheet"
    if sheet is None:
        return "size not read"
    if sheet.start is None or not sheet.height or not sheet.width:
        return "empty"
    rows = f"{sheet.height:,} row{'s' if sheet.height != 1 else ''}"
    return f"{rows} \u00d7 {sheet.width} column{'s' if sheet.width != 1 else ''}"


def _sizes(
    workbook: python_calamine.CalamineWorkbook,
    loaded: dict[int, python_calamine.CalamineSheet],
    path: Path,
    kind: str,
) -> str:
    """Every sheet with its size: "Summary (2 rows × 1 column), Orders (61 rows × 14 columns)".

    Sheets not loaded yet are loaded for their size when the file is small; calamine has no
    cheaper way to learn a sheet's dimensions.
    """
    small = path.stat().st_size <= SIZE_READ_LIMIT
    metadata = list(workbook.sheets_metadata)
    parts = []
    for index, name in enumerate(workbook.sheet_names):
        typ = metadata[index].typ
        sheet = loaded.get(index)
        if sheet is None and small and typ == python_calamine.SheetTypeEnum.WorkSheet:
            try:
                sheet = _load_sheet(workbook, index, path.name, kind)
            except ReadError:
                sheet = None
        parts.append(f"{name} ({_size(sheet, typ)})")
    return ", ".join(parts)


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


def _where(sheet_name: str, path: Path) -> str:
    return f"Sheet \u201c{sheet_name}\u201d of {path.name}"


def _no_data_rows(where: str, header_row: int) -> str:
    return f"{where} has a header row (row {header_row}) but no data rows below it."


def _named_columns(survey: _Survey) -> int:
    return sum(1 for header in survey.layout.source_headers if header.strip())


def _pick_default(
    workbook: python_calamine.CalamineWorkbook, path: Path, kind: str
) -> tuple[int, python_calamine.CalamineSheet, _Survey]:
    """The first sheet holding a table (a header row and data below it), visible ones first.

    Each sheet is loaded once and only its first rows are looked at; the sheet chosen is
    handed on as loaded.
    """
    names = list(workbook.sheet_names)
    loaded: dict[int, python_calamine.CalamineSheet] = {}
    headers_only: list[tuple[int, _Survey]] = []
    # A one-column sheet with "rows" is most often a cover ("Weekly sales", "See next sheet"):
    # it is taken only when no sheet holds a table of two columns or more.
    single_column: tuple[int, python_calamine.CalamineSheet, _Survey] | None = None
    for index in _worksheet_order(workbook):
        candidate = _load_sheet(workbook, index, path.name, kind)
        loaded[index] = candidate
        survey = _survey(candidate, _where(names[index], path), None)
        if survey is None:
            continue
        if survey.has_data_rows:
            if _named_columns(survey) >= 2:
                return index, candidate, survey
            single_column = single_column or (index, candidate, survey)
            continue
        headers_only.append((index, survey))
    if single_column is not None:
        return single_column
    sizes = _sizes(workbook, loaded, path, kind)
    if not headers_only:
        raise ReadError(
            f"{path.name} has no data in any of its sheets ({sizes}). Check that you picked "
            "the right file."
        )
    if len(headers_only) == 1 and len(names) == 1:
        index, survey = headers_only[0]
        raise ReadError(
            _no_data_rows(_where(names[index], path), survey.layout.header_row)
            + " Check that you picked the right file and sheet, or choose the header row "
            "yourself (--header-row N, or the Header row box in the app)."
        )
    raise ReadError(
        f"{path.name} has no sheet that holds a table (a header row with data rows below it). "
        f"Its sheets: {sizes}. {_CHOOSE}"
    )


_CHOOSE = (
    "Choose the sheet that holds the data and, if needed, its header row: --sheet NAME and "
    "--header-row N on the command line, the Sheet and Header row choosers in the app."
)


def _open_sheet(
    path: Path, kind: str, content: str, sheet: str | int | None, header_row: int | None
) -> tuple[tuple[str, ...], str, python_calamine.CalamineSheet, _Survey]:
    workbook = _load(path, kind, content)
    with _CalamineGuard(path.name, kind), workbook:
        names = tuple(workbook.sheet_names)
        if sheet is None and header_row is None:
            index, chosen, survey = _pick_default(workbook, path, kind)
            return names, names[index], chosen, survey
        if sheet is None:
            # The user's header row applies to the first worksheet with anything in it.
            index, chosen = _first_filled(workbook, path, kind)
        else:
            index = _pick_index(workbook, sheet, path.name)
            metadata = list(workbook.sheets_metadata)
            if metadata[index].typ != python_calamine.SheetTypeEnum.WorkSheet:
                raise ReadError(
                    f"Sheet \u201c{names[index]}\u201d of {path.name} is a chart or macro "
                    f"sheet, not a table. Its sheets: {_sizes(workbook, {}, path, kind)}. "
                    + _CHOOSE
                )
            chosen = _load_sheet(workbook, index, path.name, kind)
        where = _where(names[index], path)
        found = _survey(chosen, where, header_row)
        if found is None:
            sizes = _sizes(workbook, {index: chosen}, path, kind)
            raise ReadError(
                f"{where} is empty: there is no data in it. Its sheets: {sizes}. {_CHOOSE}"
            )
        if not found.has_data_rows:
            sizes = _sizes(workbook, {index: chosen}, path, kind)
            raise ReadError(
                _no_data_rows(where, found.layout.header_row)
                + f" Check that you picked the right file and sheet. Its sheets: {sizes}. "
                + _CHOOSE
            )
    return names, names[index], chosen, found


def _first_filled(
    workbook: python_calamine.CalamineWorkbook, path: Path, kind: str
) -> tuple[int, python_calamine.CalamineSheet]:
    """The first worksheet with any data, visible ones first, as loaded."""
    loaded: dict[int, python_calamine.CalamineSheet] = {}
    for index in _worksheet_order(workbook):
        candidate = _load_sheet(workbook, index, path.name, kind)
        loaded[index] = candidate
        if candidate.start is not None and candidate.height:
            return index, candidate
    raise ReadError(
        f"{path.name} has no data in any of its sheets ({_sizes(workbook, loaded, path, kind)})."
        " Check that you picked the right file."
    )


def _worksheet_order(workbook: python_calamine.CalamineWorkbook) -> list[int]:
    """Indexes of the worksheets (not chart or macro sheets), visible ones first."""
    metadata = list(workbook.sheets_metadata)
    order = sorted(
        range(len(metadata)),
        key=lambda i: (metadata[i].visible != python_calamine.SheetVisibleEnum.Visible, i),
    )
    return [i for i in order if metadata[i].typ == python_calamine.SheetTypeEnum.WorkSheet]


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
    names, sheet_name, loaded, survey = _open_sheet(path, kind, content, sheet, header_row)
    layout = survey.layout
    start = loaded.start or (0, 0)
    width = layout.width
    skip = layout.header_row - survey.offset
    estimate = max(0, start[0] + loaded.height - layout.header_row)

    def rows() -> Iterator[Row]:
        pad = (None,) * width
        number = layout.header_row
        empty = EMPTY_VALUES.get
        for record in islice(loaded.iter_rows(), skip, None):
            number += 1
            for value in record:
                if value != "" and not (value.__class__ is str and value.isspace()):
                    break
            else:
                continue
            cut = record[:width]
            cells = tuple(map(empty, cut, cut))  # "" and placeholders such as "N/A" -> None
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
        preamble=preamble_of(survey.sample, layout.header_row),
    )
