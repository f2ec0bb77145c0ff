"""CSV/TSV/TXT reader: encoding and delimiter detection, streamed rows."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from itertools import islice
from operator import itemgetter
from pathlib import Path

from twconv_gui.core.errors import ReadError
from twconv_gui.core.reading.cleaning import (
    EMPTY_VALUES,
    binary_kind,
    control_note,
    control_pattern,
    count_control_cells,
    has_control_chars,
    looks_binary,
)
from twconv_gui.core.reading.header import (
    HeaderLayout,
    SampleRow,
    detect_header,
    preamble_of,
    sample_size,
)
from twconv_gui.core.reading.table import Cell, Row, Table

HEAD_BYTES = 256 * 1024
PROBE_BYTES = 64 * 1024
PROBE_COUNT = 4
DETECT_CHARS = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")

_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_WORKBOOK_MAGICS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_WORKBOOK_PARTS = (b"xl/", b"[Content_Types].xml", b"mimetypeapplication/vnd.oasis")
_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)
_SAVE_AS_UTF8 = (
    "Open it in Excel or a text editor, save it as \u201cCSV UTF-8\u201d, and try again."
)


def _not_text(name: str, head: bytes) -> ReadError:
    if head.startswith(_ZIP_MAGICS) and not any(part in head for part in _WORKBOOK_PARTS):
        return ReadError(
            f"{name} does not look like a text table: it is a zip archive. Unpack it and pick "
            "the CSV or Excel file inside, or export the data again as CSV."
        )
    if head.startswith(_WORKBOOK_MAGICS):
        return ReadError(
            f"{name} does not look like a text table: it is really a workbook (Excel or "
            "OpenDocument) with a text file name. Rename it to .xlsx (or .xls / .ods) "
            "and open it again."
        )
    what = binary_kind(head)
    if what:
        return ReadError(
            f"{name} does not look like a text table: it is {what}. Check that you picked the "
            "right file, or export the data again as CSV."
        )
    return ReadError(
        f"{name} does not look like a text table (it contains binary data). Check that you "
        "picked the right file, or export the data again as CSV."
    )


def _refuse_known_binaries(name: str, head: bytes) -> None:
    """ReadError for workbooks, archives, documents and images with a text file name."""
    if head.startswith(_WORKBOOK_MAGICS + _ZIP_MAGICS) or binary_kind(head):
        raise _not_text(name, head)


def _decodes(data: bytes, encoding: str, *, at_start: bool, at_end: bool) -> bool:
    """True when `data`, a slice of a file, decodes cleanly (cut characters allowed)."""
    if not at_start and encoding == "utf-8":
        # Skip the continuation bytes of a character cut at the start of the slice.
        skip = 0
        while skip < 3 and skip < len(data) and 0x80 <= data[skip] <= 0xBF:
            skip += 1
        data = data[skip:]
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        decoder.decode(data, final=at_end)
    except UnicodeDecodeError:
        return False
    return True


def _probes(path: Path, size: int) -> list[tuple[bytes, int]]:
    """A few slices from the rest of a large file, to check its encoding beyond the head."""
    if size <= HEAD_BYTES + PROBE_BYTES:
        return []
    probes = []
    with path.open("rb") as handle:
        for step in range(1, PROBE_COUNT + 1):
            offset = max(HEAD_BYTES, size * step // PROBE_COUNT - PROBE_BYTES)
            handle.seek(offset)
            probes.append((handle.read(PROBE_BYTES), offset))
    return probes


def _utf16_without_bom(head: bytes) -> str | None:
    """utf-16-le/be when the NUL bytes fall on every other byte as in UTF-16 text."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if odd > pairs * 0.3 and even < pairs * 0.05:
        encoding = "utf-16-le"
    elif even > pairs * 0.3 and odd < pairs * 0.05:
        encoding = "utf-16-be"
    else:
        return None
    return encoding if _decodes(head[: pairs * 2], encoding, at_start=True, at_end=False) else None


def detect_encoding(path: Path, head: bytes, size: int) -> str:
    """The encoding to open the file with; ReadError when it is not text at all."""
    if head.startswith(_UTF8_BOM):
        return "utf-8-sig"
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    _refuse_known_binaries(path.name, head)
    whole = size <= len(head)
    probes = _probes(path, size)
    if _decodes(head, "utf-8", at_start=True, at_end=whole):
        has_non_ascii = not head.isascii()
        if has_non_ascii or all(
            _decodes(data, "utf-8", at_start=False, at_end=offset + len(data) >= size)
            for data, offset in probes
        ):
            return "utf-8"
    chunks = [head, *(data for data, _ in probes)]
    if all(_decodes(data, "cp1252", at_start=True, at_end=True) for data in chunks):
        return "cp1252"
    return "latin-1"


def looks_like_text(head: bytes) -> bool:
    """True when the bytes read like a text file (used to spot CSV saved as .xls)."""
    if not head or head.startswith(_WORKBOOK_MAGICS):
        return False
    if head.startswith((_UTF8_BOM, *_UTF16_BOMS)) or _utf16_without_bom(head):
        return True
    if head.startswith(_ZIP_MAGICS) or binary_kind(head):
        return False
    if _decodes(head, "utf-8", at_start=True, at_end=False):
        text = head.decode("utf-8", errors="replace")
    else:
        text = head.decode("cp1252", errors="replace")
    return not looks_binary(text)


def _records(text: str, delimiter: str, truncated: bool) -> list[list[str]]:
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return []
    if truncated and records:
        records.pop()  # the last record may be cut in the middle
    return records


def detect_delimiter(text: str, *, truncated: bool, prefer_tab: bool = False) -> str:
    """The delimiter among , ; tab | that splits the sample into the steadiest columns."""
    if len(text) > DETECT_CHARS:
        cut = text.rfind("\n", 0, DETECT_CHARS)
        text, truncated = (text[: cut + 1] if cut > 0 else text[:DETECT_CHARS]), True
    order = ("\t", ",", ";", "|") if prefer_tab else DELIMITERS
    best: tuple[float, int, int] | None = None
    chosen = ","
    for rank, delimiter in enumerate(order):
        counts = [len(r) for r in _records(text, delimiter, truncated) if any(r)]
        wide = [count for count in counts if count > 1]
        if not wide:
            continue
        modal, frequency = Counter(wide).most_common(1)[0]
        consistency = round(frequency / len(counts), 2)
        if consistency < 0.5:
            continue
        score = (consistency, modal, -rank)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def _open(path: Path, encoding: str) -> io.TextIOWrapper:
    return path.open(encoding=encoding, errors="strict", newline="")


def _lines(handle: io.TextIOWrapper, pattern: re.Pattern[str] | None) -> Iterable[str]:
    """The file's lines for csv.reader, with control characters dropped when it has some."""
    if pattern is None:
        return handle
    return map(partial(pattern.sub, ""), handle)


def _row_cells(record: list[str]) -> list[Cell] | None:
    """The record's cells ('' → None), or None when every cell is blank."""
    for value in record:
        if value and not value.isspace():
            return [value or None for value in record]
    return None


def _decode_error(name: str, encoding: str, row: int) -> ReadError:
    return ReadError(
        f"{name} is not entirely in the {encoding} text encoding: near row {row} it has "
        f"characters that cannot be read. {_SAVE_AS_UTF8}"
    )


def read_text_table(path: Path, *, header_row: int | None = None) -> Table:
    """Read a delimited text file as a Table whose rows() streams the file each time."""
    name = path.name
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    encoding = detect_encoding(path, head, size)
    truncated = size > len(head)
    if encoding.startswith("utf-16") and len(head) % 2:
        head = head[:-1]
    text = head.decode(encoding, errors="replace")
    if looks_binary(text):
        raise _not_text(name, head)
    if truncated:
        cut = text.rfind("\n")
        text = text[: cut + 1] if cut > 0 else text
    skip = 0
    sep_line = _SEP_LINE.match(text)
    if sep_line:
        delimiter, skip = sep_line.group(1), 1
        text = text[sep_line.end() :]
    else:
        prefer_tab = path.suffix.lower() in {".tsv", ".tab"} or encoding == "utf-16"
        delimiter = detect_delimiter(text, truncated=truncated, prefer_tab=prefer_tab)
    # Found in one quick pass; the rare file that has some is cleaned line by line.
    controls = control_pattern(delimiter) if has_control_chars(path, encoding, delimiter) else None

    limit = sample_size(header_row)
    sample: list[SampleRow] = []
    rows_seen = 0
    exhausted = True
    try:
        with _open(path, encoding) as stream:
            reader = csv.reader(_lines(stream, controls), delimiter=delimiter)
            for record in islice(reader, skip, None):
                rows_seen += 1
                cells = _row_cells(record)
                if cells is not None:
                    sample.append((rows_seen, cells))
                if rows_seen >= limit:
                    exhausted = False
                    break
    except UnicodeDecodeError as error:
        raise _decode_error(name, encoding, rows_seen + 1) from error
    except csv.Error as error:
        raise _csv_error(name, rows_seen + 1) from error
    except OSError as error:
        raise _reread_error(name, error) from error
    layout = detect_header(sample, where=name, rows_seen=rows_seen, header_row=header_row)

    if exhausted:
        estimate = sum(1 for number, _ in sample if number > layout.header_row)
    else:
        records_in_head = len(_records(text, delimiter, truncated)) or 1
        estimate = max(0, round(size / (len(head) / records_in_head)) - layout.header_row)

    width = layout.width
    first_data = skip + layout.header_row
    notes: tuple[str, ...] = ()
    if controls is not None:
        counts = _control_counts(
            path, encoding, delimiter, first_data=first_data, layout=layout, controls=controls
        )
        notes = (control_note(name, counts),) if counts else ()

    def rows() -> Iterator[Row]:
        pad = (None,) * width
        number = layout.header_row
        empty = EMPTY_VALUES.get  # "" and placeholders such as "N/A" -> None, in C
        try:
            with _open(path, encoding) as handle:
                reader = csv.reader(_lines(handle, controls), delimiter=delimiter)
                for record in islice(reader, first_data, None):
                    number += 1
                    for value in record:
                        if value and not value.isspace():
                            break
                    else:
                        continue
                    count = len(record)
                    if count == width:
                        yield number, tuple(map(empty, record, record))
                    elif count < width:
                        yield number, (*map(empty, record, record), *pad[count:])
                    else:
                        cut = record[:width]
                        yield number, tuple(map(empty, cut, cut))
        except UnicodeDecodeError as error:
            raise _decode_error(name, encoding, number + 1) from error
        except csv.Error as error:
            raise _csv_error(name, number + 1) from error
        except OSError as error:
            raise _reread_error(name, error) from error

    def column_chunks(positions: Sequence[int], size: int) -> Iterator[list[list[Cell]]]:
        # The csv records as they come: no row tuples, no blank-row test (blank cells are
        # None either way). On any read problem, rows() finds and reports the exact row.
        empty = EMPTY_VALUES.get
        last = max(positions, default=0)
        try:
            with _open(path, encoding) as handle:
                reader = csv.reader(_lines(handle, controls), delimiter=delimiter)
                records = islice(reader, first_data, None)
                while batch := list(islice(records, size)):
                    if min(map(len, batch)) > last:  # no short row: all in C
                        cells = [list(map(itemgetter(p), batch)) for p in positions]
                    else:
                        cells = [[r[p] if p < len(r) else None for r in batch] for p in positions]
                    yield [list(map(empty, column, column)) for column in cells]
        except OSError as error:
            raise _reread_error(name, error) from error
        except (UnicodeDecodeError, csv.Error):
            for _ in rows():  # read row by row, the same file names the exact row
                pass
            raise

    return Table(
        path=path,
        kind="csv",
        sheet=None,
        sheets=(),
        header_row=layout.header_row,
        columns=layout.columns,
        source_headers=layout.source_headers,
        rows_factory=rows,
        columns_factory=column_chunks,
        encoding=encoding,
        delimiter=delimiter,
        estimated_rows=estimate,
        notes=notes,
        preamble=preamble_of(sample, layout.header_row),
    )


def _control_counts(
    path: Path,
    encoding: str,
    delimiter: str,
    *,
    first_data: int,
    layout: HeaderLayout,
    controls: re.Pattern[str],
) -> dict[str, tuple[int, int]]:
    """Per column, the data rows whose cell held control characters (a pass of its own).

    Only files found to hold control characters pay for it. Read errors are left for rows()
    to report with the row they happen in.
    """
    try:
        with _open(path, encoding) as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            numbered = enumerate(islice(reader, first_data, None), layout.header_row + 1)
            return count_control_cells(numbered, controls, layout.columns)
    except (UnicodeDecodeError, csv.Error, OSError):
        return {}


def _reread_error(name: str, error: OSError) -> ReadError:
    return ReadError(
        f"{name} could not be read ({error.strerror or error}). Check that the file is still "
        "there and not open in another program, then try again."
    )


def _csv_error(name: str, row: int) -> ReadError:
    return ReadError(
        f"{name} cannot be read as a table near row {row}: a cell there is far too long, "
        'which usually means a quote (") is opened and never closed. Fix that row in a text '
        "editor or re-export the file, then try again."
    )
