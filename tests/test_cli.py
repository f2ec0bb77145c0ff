"""The `twconv` command as a user runs it: output, files written, exit codes."""

import json
import shutil
import subprocess
import sys
from importlib import resources

import pytest

from twconv_gui.cli import COMMANDS, build_parser, main

SAMPLE = resources.files("twconv_gui.resources") / "sample_export.csv"
SAMPLE_MAPPING = resources.files("twconv_gui.resources") / "sample_mapping.json"


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "sample_export.csv"
    shutil.copyfile(str(SAMPLE), path)
    mapping = tmp_path / "mapping.json"
    shutil.copyfile(str(SAMPLE_MAPPING), mapping)
    return path, mapping


def test_inspect_shows_columns_suggestion_and_writes_a_usable_mapping(sample, tmp_path, capsys):
    path, _ = sample
    written = tmp_path / "suggested.json"
    assert main(["inspect", str(path), "--write-mapping", str(written)]) == 0
    out = capsys.readouterr().out
    assert "Header row:  1" in out
    assert "Customer Email" in out
    assert "•••@mail.example.net" in out.lower()  # masked samples keep the domain...
    assert "ana.60@" not in out.lower()  # ...but not the address
    profile = json.loads(written.read_text())
    assert profile["columns"]["email"] == "Customer Email"
    assert profile["columns"]["conversion_time"] == "Order Date"


def test_inspect_json(sample, capsys):
    path, _ = sample
    assert main(["inspect", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["delimiter"] == ","
    assert [c["name"] for c in data["columns"]][:3] == ["Order ID", "Order Date", "Customer Email"]


def test_check_reports_rejected_rows_and_exits_1(sample, tmp_path, capsys):
    path, mapping = sample
    code = main(
        ["check", str(path), "--mapping", str(mapping), "--report-dir", str(tmp_path / "r")]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "40 rows read" in out
    assert "rejected: 3 rows" in out
    [dates] = [line for line in out.splitlines() if "is not a date/time" in line]
    assert dates.split()[:4] == ["1", "error", "Order", "Date"]  # rows, kind, column...
    assert " 19 " in dates  # ...and the first rows
    assert "What X can match, of 37 conversions:" in out
    [email] = [line for line in out.splitlines() if line.startswith("  email:")]
    assert email.split()[1:] == ["36", "(97%)"]  # 36 of 37 carry an email
    assert "Values in USD: total 15765.39" in out
    assert (tmp_path / "r" / "rejected-rows.csv").exists()
    assert (tmp_path / "r" / "rejected-rows.xlsx").exists()
    assert "not-an-email" not in out  # raw values never echoed


def test_check_exit_0_when_every_row_is_ready(tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_text("Date,Email\n2024-01-02 10:00,a@b.co\n", encoding="utf-8")
    mapping = tmp_path / "m.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {"conversion_time": "Date", "email": "Email"},
                "constants": {"event_id": "o87ne"},
            }
        )
    )
    assert main(["check", str(path), "--mapping", str(mapping), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["rows_read"], summary["events_ready"], summary["problems"]) == (1, 1, [])


def _repeating_export(tmp_path, count):
    path = tmp_path / "shop.csv"
    lines = ["Order,Date,Email"] + [
        f"O{i % 10},2024-01-0{1 + i % 9} 10:00,u{i}@b.co" for i in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "m.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {"conversion_id": "Order", "conversion_time": "Date", "email": "Email"},
                "constants": {"event_id": "o87ne"},
            }
        )
    )
    return path, mapping


def test_check_prints_one_line_per_reason_not_one_per_row(tmp_path, capsys):
    path, mapping = _repeating_export(tmp_path, 1234)
    assert main(["check", str(path), "--mapping", str(mapping)]) == 0  # warnings only
    out = capsys.readouterr().out
    repeats = [line for line in out.splitlines() if "repeats the conversion id" in line]
    assert len(repeats) == 1  # 1,224 rows, one line
    assert repeats[0].split()[:2] == ["1,224", "warning"]
    assert "12, 13, 14, 15, 16, …" in repeats[0]  # the first five rows
    assert "Repeated conversion ids: 1,224" in out
    assert "Dates (UTC): 2024-01-01 to 2024-01-09, 9 days" in out
    assert "… and" not in out  # nothing cut off


def test_check_json_has_the_diagnostics_and_every_problem(tmp_path, capsys):
    path, mapping = _repeating_export(tmp_path, 40)
    assert main(["check", str(path), "--mapping", str(mapping), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["problems"]) == 30  # every row, as before
    diagnostics = data["diagnostics"]
    assert (diagnostics["conversions"], diagnostics["with_email"]) == (40, 40)
    [group] = diagnostics["groups"]
    assert (group["count"], group["first_rows"]) == (30, [12, 13, 14, 15, 16])
    assert diagnostics["per_day"]["2024-01-01"] == [5, "0"]  # 5 conversions, no value
    assert diagnostics["window_days"] == 14


def test_check_exit_2_with_a_clear_message_for_unusable_input(sample, tmp_path, capsys):
    path, mapping = sample
    assert main(["check", str(tmp_path / "missing.csv"), "--mapping", str(mapping)]) == 2
    assert "missing.csv" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": {"email": "Nope"}, "constants": {"event_id": "o87ne"}}')
    assert main(["check", str(path), "--mapping", str(bad)]) == 2
    err = capsys.readouterr().err
    assert 'column "Nope" is not in sample_export.csv' in err
    assert "Traceback" not in err


def test_prepare_writes_the_events_in_file_order(sample, tmp_path, capsys):
    path, mapping = sample
    out_file = tmp_path / "events.jsonl"
    assert main(["prepare", str(path), "--mapping", str(mapping), "--out", str(out_file)]) == 1
    lines = out_file.read_text().splitlines()
    assert len(lines) == 37
    events = [json.loads(line) for line in lines]
    assert events[0]["conversion_id"] == "SO-10400"
    assert events[0]["conversion_time"] == "2026-10-02T01:09:00.000Z"  # 21:09 EDT
    assert all(e["event_id"] == "o87ne" for e in events)
    assert "@" not in out_file.read_text()  # only hashes leave the machine
    assert "37 events written" in capsys.readouterr().err


def test_inspect_sheet_by_number_or_by_a_name_made_of_digits(tmp_path, capsys):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "2"
    book.active.append(["Email", "Date"])
    book.active.append(["a@b.co", "2024-01-02"])
    second = book.create_sheet("Orders")
    second.append(["Order ID", "Total"])
    second.append(["A1", 5])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert main(["inspect", str(path), "--sheet", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sheet"] == "2"  # the sheet named "2"
    assert main(["inspect", str(path), "--sheet", "Orders", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in data["columns"]] == ["Order ID", "Total"]


def _command_names(parser):
    [subcommands] = [a for a in parser._actions if a.dest == "command"]
    return list(subcommands.choices)


def test_each_command_runs_with_only_its_own_module_loaded(capsys):
    assert _command_names(build_parser()) == list(COMMANDS)
    for name in COMMANDS:
        assert _command_names(build_parser(name)) == [
            c for c, module in COMMANDS.items() if module == COMMANDS[name]
        ]
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0
        assert f"usage: twconv {name}" in capsys.readouterr().out


def test_upload_starts_without_loading_inspection_sandbox_or_xlsx_code():
    code = (
        "import sys; from twconv_gui.cli import build_parser; build_parser('upload'); "
        "print(sorted(m for m in ('twconv_gui.core.mapping.inspection', "
        "'twconv_gui.sandbox', 'twconv_gui.core.mapping.suggest', 'openpyxl') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_ctrl_c_while_the_command_loads_is_a_clean_stop():
    # The command's own module loads before main() can take Ctrl-C over; the program does.
    script = (
        "import twconv_gui.cli as cli\n"
        "def interrupted(argv=None):\n"
        "    raise KeyboardInterrupt\n"
        "cli.main = interrupted\n"
        "cli.run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode, result.stderr) == (130, "twconv: stopped.\n")


def test_output_closed_by_its_reader_ends_the_command_quietly(sample):
    # `twconv inspect FILE --json | head -1`: no traceback about a broken pipe.
    process = subprocess.Popen(
        [sys.executable, "-m", "twconv_gui.cli", "inspect", str(sample[0]), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()
    assert process.wait(60) == 1
    assert process.stderr.read() == b""
    process.stderr.close()
