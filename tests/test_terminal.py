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
