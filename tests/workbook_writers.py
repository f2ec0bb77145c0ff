"""Hand-made OpenDocument and .xlsb workbooks for the reader tests (tiny files, any extent)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
EMPTY_TAIL = (  # what LibreOffice writes after the last row of every sheet
    '<table:table-row table:number-rows-repeated="1048574">'
    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
)


def text_cell(value: str, repeat: int = 1) -> str:
    extra = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (f'<table:table-cell office:value-type="string" calcext:value-type="string"{extra}>'
            f"<text:p>{value}</text:p></table:table-cell>")  # fmt: skip


def empty_cells(repeat: int) -> str:
    return f'<table:table-cell table:number-columns-repeated="{repeat}"/>'


def row(cells: str, repeat: int = 1) -> str:
    extra = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-row table:style-name="ro1"{extra}>{cells}</table:table-row>'


def write_ods(path: Path, tables: dict[str, str]) -> Path:
    body = "".join(
        f'<table:table table:name="{name}" table:style-name="ta1">'
        '<table:table-column table:number-columns-repeated="1024"/>'
        f"{rows}</table:table>"
        for name, rows in tables.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        f'office:version="1.2"><office:body><office:spreadsheet>{body}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         zipfile.ZIP_STORED)  # fmt: skip
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def base128(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def record(kind: int, body: bytes = b"") -> bytes:
    return base128(kind) + base128(len(body)) + body


def wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def sheet_bin(dimension: tuple[int, int, int, int], cells: list[tuple[int, int, object]]) -> bytes:
    """A worksheet part: BrtBeginSheet, BrtWsDim, the cells by row, BrtEndSheetData."""
    data = record(0x81) + record(0x94, struct.pack("<4I", *dimension)) + record(0x91)
    current = None
    for row_index, column, value in cells:
        if row_index != current:
            data += record(0x00, struct.pack("<IIHHBI", row_index, 0, 0, 0, 0, 0))
            current = row_index
        if isinstance(value, str):
            data += record(0x06, struct.pack("<II", column, 0) + wide(value))  # BrtCellSt
        else:
            data += record(0x05, struct.pack("<IId", column, 0, value))  # BrtCellReal
    return data + record(0x92) + record(0x82)


def write_xlsb(path: Path, sheets: dict[str, bytes]) -> Path:
    """A minimal .xlsb the spreadsheet library opens: workbook.bin, its rels, the sheets."""
    bundles = b"".join(
        record(0x9C, struct.pack("<II", 0, index) + wide(f"rId{index}") + wide(name))
        for index, name in enumerate(sheets, 1)
    )
    workbook = record(0x83) + record(0x8F) + bundles + record(0x90) + record(0x9D, bytes(26))
    rels = "".join(
        f'<Relationship Id="rId{index}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{index}.bin"/>'
        for index in range(1, len(sheets) + 1)
    )
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/_rels/workbook.bin.rels",
                         f'<Relationships xmlns="{rels_ns}">{rels}</Relationships>')  # fmt: skip
        archive.writestr("xl/workbook.bin", workbook + record(0x84))
        for index, data in enumerate(sheets.values(), 1):
            archive.writestr(f"xl/worksheets/sheet{index}.bin", data)
    return path
