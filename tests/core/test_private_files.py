"""Files that hold sales data are the user's alone: created 0600, partial files never guessable."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from twconv_gui.cli import main
from twconv_gui.core import paths
from twconv_gui.core.logs import setup_logging, stop_logging
from twconv_gui.core.prepare.reports import write_report
from twconv_gui.core.upload.journal import Journal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")

RESOURCES = resources.files("twconv_gui.resources")


@pytest.fixture(autouse=True)
def everyday_umask() -> Iterator[None]:
    """The umask most desktops run with: without care, new files come out 0644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_journal_and_its_wal_file_are_private():
    path = paths.journal_path()
    with Journal(path) as journal:
        assert journal.jobs() == []
        wal = path.with_name(path.name + "-wal")
        assert mode(path) == 0o600
        if wal.exists():
            assert mode(wal) == 0o600


def test_the_log_file_is_private(tmp_path):
    folder = tmp_path / "logs"
    try:
        log_file = setup_logging(directory=folder)
        logging.getLogger("twconv_gui.test").warning("a line")
    finally:
        stop_logging()
    assert mode(log_file) == 0o600
    assert mode(folder) == 0o700


def test_reports_are_private_and_their_new_folder_too(tmp_path):
    folder = tmp_path / "reports"
    written = write_report(folder, "rejected-rows", ("Row", "Reason"), [(2, "no email")])
    assert [p.name for p in written] == ["rejected-rows.csv", "rejected-rows.xlsx"]
    assert [mode(p) for p in written] == [0o600, 0o600]
    assert mode(folder) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == ["rejected-rows.csv", "rejected-rows.xlsx"]


def test_prepare_out_is_private_and_its_partial_file_cannot_be_planted(tmp_path, capsys):
    export, mapping = tmp_path / "export.csv", tmp_path / "mapping.json"
    shutil.copyfile(str(RESOURCES / "sample_export.csv"), export)
    shutil.copyfile(str(RESOURCES / "sample_mapping.json"), mapping)
    out = tmp_path / "events.jsonl"
    # Another local user plants the old predictable partial name as a link to a victim file.
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "events.jsonl.part").symlink_to(victim)

    code = main(["prepare", str(export), "--mapping", str(mapping), "--out", str(out)])

    assert code == 1  # the sample has rejected rows
    assert len(out.read_text().splitlines()) == 37
    assert mode(out) == 0o600
    assert victim.read_text() == "keep me"
    leftovers = {p.name for p in tmp_path.iterdir()}
    assert leftovers == {
        "export.csv",
        "mapping.json",
        "events.jsonl",
        "events.jsonl.part",
        "victim.txt",
    }
    assert "37 events written" in capsys.readouterr().err


def test_a_failed_prepare_leaves_no_partial_file(tmp_path, capsys):
    export, mapping = tmp_path / "export.csv", tmp_path / "mapping.json"
    shutil.copyfile(str(RESOURCES / "sample_export.csv"), export)
    shutil.copyfile(str(RESOURCES / "sample_mapping.json"), mapping)
    out = tmp_path / "events.jsonl"
    out.mkdir()  # renaming onto a folder fails at the very end

    assert main(["prepare", str(export), "--mapping", str(mapping), "--out", str(out)]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "events.jsonl",
        "export.csv",
        "mapping.json",
    ]
    assert "Cannot write" in capsys.readouterr().err
