"""Hostile inputs as separate programs: two uploads of one job, a sparse workbook."""

import os
import subprocess
import sys
import time
import zipfile
from collections import Counter

from tests.workbook_writers import empty_cells, row, sheet_bin, text_cell, write_ods, write_xlsb
from twconv_gui.core import paths
from twconv_gui.core.upload.journal import Journal

from .test_cli_upload import demo_env, files, run_twconv, sandbox, start_twconv, upload_args

__all__ = ["demo_env", "files", "sandbox"]  # fixtures shared with test_cli_upload


def test_a_second_process_on_a_live_job_is_refused_naming_the_owner(demo_env, files, sandbox):
    sandbox.faults.slow(0.3, count=None)
    first = start_twconv(*upload_args(files, sandbox), "--workers", "1")
    try:
        deadline = time.monotonic() + 30
        with Journal(paths.journal_path()) as journal:
            while time.monotonic() < deadline:
                jobs = journal.jobs()
                if jobs and journal.batches(jobs[0].id):
                    break
                time.sleep(0.05)
        second = run_twconv(*upload_args(files, sandbox), "--resume")
        assert second.returncode == 2
        assert f"process {first.pid}" in second.stderr
        assert "twconv" in second.stderr
        assert first.wait(120) == 0
    finally:
        if first.poll() is None:
            first.kill()
    counts = Counter(c["conversion_id"] for c in sandbox.accepted_conversions())
    assert len(counts) == 600
    assert set(counts.values()) == {1}


def _sparse_workbook(path, *, dimension: bool) -> None:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + ('<dimension ref="A1:XFD1048576"/>' if dimension else "")
        + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


def test_a_sparse_workbook_is_refused_with_a_clear_message_not_a_crash(tmp_path, files):
    _, mapping = files
    for dimension in (True, False):
        book = tmp_path / f"sparse-{dimension}.xlsx"
        _sparse_workbook(book, dimension=dimension)
        assert book.stat().st_size < 5000
        finished = run_twconv("upload", str(book), "--mapping", str(mapping), "--pixel-id",
                              "o8z6j", "--dry-run")  # fmt: skip
        assert finished.returncode == 2, finished.stderr[-2000:]
        assert book.name in finished.stderr
        assert "Orders" in finished.stderr
        assert "XFD1048576" in finished.stderr
        assert "Ctrl+End" in finished.stderr


def test_the_gui_reader_survives_a_sparse_workbook_in_its_own_process(tmp_path):
    book = tmp_path / "sparse.xlsx"
    _sparse_workbook(book, dimension=False)
    code = (
        "import sys\n"
        "from twconv_gui.core.errors import ReadError\n"
        "from twconv_gui.core.reading.opening import open_table\n"
        "try:\n"
        f"    open_table(__import__('pathlib').Path({str(book)!r}))\n"
        "except ReadError as e:\n"
        "    print(e); sys.exit(3)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env=os.environ.copy(), check=False,
    )  # fmt: skip
    assert finished.returncode == 3, finished.stderr[-2000:]
    assert "too far apart" in finished.stdout


def test_without_a_conversion_id_the_duplicate_risk_is_said_before_sending(
    demo_env, files, sandbox, tmp_path
):
    import json

    export, mapping = files
    plain = tmp_path / "no-id.json"
    profile = json.loads(mapping.read_text())
    del profile["columns"]["conversion_id"]
    plain.write_text(json.dumps(profile))
    finished = run_twconv("upload", str(export), "--mapping", str(plain), "--pixel-id",
                          "o8z6j", "--api-base", sandbox.base_url)  # fmt: skip
    assert finished.returncode == 0
    assert "conversion_id" in finished.stderr
    assert "twice" in finished.stderr


def _sparse_ods(path, *, columns: int, rows: int = 1048576) -> None:
    """An .ods with "Email" in A1 and a value in the last column of its last row."""
    write_ods(
        path,
        {
            "Orders": row(text_cell("Email"))
            + row(empty_cells(1), repeat=rows - 2)
            + row(empty_cells(columns - 1) + text_cell("1"))
        },
    )


def _sparse_xlsb(path, *, dimension_lies: bool) -> None:
    """A hand-made .xlsb: "Email" in A1 and a number in XFD1048576; BrtWsDim may say A1:A1."""
    last = (0, 0) if dimension_lies else (1048575, 16383)
    cells = [(0, 0, "Email"), (1048575, 16383, 1.0)]
    write_xlsb(path, {"Orders": sheet_bin((0, last[0], 0, last[1]), cells)})


def _limited_run(args, memory_gb=3):
    """ARGS as a program whose address space is capped, so a grid too big for it aborts at
    once (exit 134, or -6 for SIGABRT) instead of filling the test machine's memory."""
    import resource

    def cap():
        limit = memory_gb * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        args, capture_output=True, text=True, timeout=300, env=os.environ.copy(),
        preexec_fn=cap, check=False,
    )  # fmt: skip


def _sparse_books(tmp_path):
    books = []
    for name, columns in (("far.ods", 16384), ("wide.ods", 64)):  # 17 G and 67 M cells
        _sparse_ods(tmp_path / name, columns=columns)
        books.append((tmp_path / name, "LibreOffice Calc"))
    for lies in (False, True):
        book = tmp_path / f"sparse-{lies}.xlsb"
        _sparse_xlsb(book, dimension_lies=lies)
        books.append((book, "Excel"))
    return books


def test_a_sparse_ods_or_xlsb_is_refused_by_twconv_inspect_not_a_crash(tmp_path):
    from .test_cli_upload import TWCONV

    for book, program in _sparse_books(tmp_path):
        assert book.stat().st_size < 5000
        finished = _limited_run([*TWCONV, "inspect", str(book)])
        assert finished.returncode == 2, (book.name, finished.returncode, finished.stderr[-800:])
        assert book.name in finished.stderr
        assert "\u201cOrders\u201d" in finished.stderr
        assert "too far apart" in finished.stderr
        assert f"In {program}, press Ctrl+End" in finished.stderr


def test_the_gui_reader_survives_a_sparse_ods_or_xlsb_in_its_own_process(tmp_path):
    for book, _ in _sparse_books(tmp_path):
        code = (
            "import sys\n"
            "from twconv_gui.core.errors import ReadError\n"
            "from twconv_gui.core.reading.opening import open_table\n"
            "try:\n"
            f"    open_table(__import__('pathlib').Path({str(book)!r}))\n"
            "except ReadError as e:\n"
            "    print(e); sys.exit(3)\n"
        )
        finished = _limited_run([sys.executable, "-c", code])
        assert finished.returncode == 3, (book.name, finished.returncode, finished.stderr[-800:])
        assert "too far apart" in finished.stdout


def test_a_sparse_xls_is_refused_by_twconv_inspect_not_a_crash(tmp_path):
    """A legacy .xls whose one cell record was moved to column 65,536 of row 65,536 (and one
    whose DIMENSIONS record asks for that room) would make the library lay out 65,536 × 65,536
    cells and abort; it is refused from its records, read before the library loads it."""
    import struct

    import olefile

    from .core.reading.test_xls_extents import DIMENSIONS, patch_cell, records, write_xls
    from .test_cli_upload import TWCONV

    written = write_xls(tmp_path / "written.xls", {
        "Cover": [(0, 0, "x")],
        "Orders": [(0, 0, "Email"), (1, 0, "a@x.com"), (65535, 255, 1.5)],
    })  # fmt: skip
    far = patch_cell(written, tmp_path / "far.xls", (65535, 255), (65535, 65535))
    room = tmp_path / "room.xls"
    room.write_bytes(written.read_bytes())
    with olefile.OleFileIO(str(room), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        last = [offset for offset, kind, _ in records(bytes(stream)) if kind == DIMENSIONS][-1]
        struct.pack_into("<IIHH", stream, last + 4, 0, 65536, 0, 65535)
        ole.write_stream("Workbook", bytes(stream))
    for book in (far, room):
        finished = _limited_run([*TWCONV, "inspect", str(book)])
        assert finished.returncode == 2, (book.name, finished.returncode, finished.stderr[-800:])
        assert book.name in finished.stderr
        assert "\u201cOrders\u201d" in finished.stderr
        assert "too far apart" in finished.stderr
        assert "In Excel, press Ctrl+End" in finished.stderr
    readable = _limited_run([*TWCONV, "inspect", str(written), "--sheet", "Orders"])
    assert readable.returncode == 0, readable.stderr[-800:]
