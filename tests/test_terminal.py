"""What reaches the terminal never carries control characters out of a file."""

from twconv_gui.terminal import format_table, printable

RETITLE = "Email\x1b]0;pwned\x07\x1b[2J\x9b31m"


def test_control_characters_in_header_names_are_stripped_from_tables():
    shown = format_table([RETITLE, "Rows"], [[RETITLE, 3]])
    assert "\x1b" not in shown
    assert "\x07" not in shown
    assert "\x9b" not in shown
    assert "Email" in shown


def test_printable_keeps_ordinary_text_and_letters():
    assert printable("Prénom\tNom — 名前") == "Prénom Nom — 名前"
    assert printable(RETITLE).startswith("Email")


def test_inspect_prints_header_names_without_their_escape_sequences(tmp_path, capsys):
    # A legacy workbook keeps control characters in its cells (a text file's are dropped).
    import xlwt

    from twconv_gui.cli import main

    book = xlwt.Workbook()
    sheet = book.add_sheet("Orders")
    for column, name in enumerate(["Order ID", "\x1b]0;pwned\x07Email", "Date"]):
        sheet.write(0, column, name)
    for column, value in enumerate(["A1", "a@example.com", "2024-03-05 10:00"]):
        sheet.write(1, column, value)
    export = tmp_path / "orders.xls"
    book.save(str(export))
    assert main(["inspect", str(export)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "pwned" in out  # the header is still shown, as text
