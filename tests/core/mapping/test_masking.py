"""Masked samples: users see the shape of personal data on screen, never the data itself."""

from datetime import datetime

import pytest

from twconv_gui.core.mapping.masking import mask_cell


@pytest.mark.parametrize(
    ("cell", "personal", "shown"),
    [
        ("jane.doe@example.com", False, "j•••@example.com"),
        ("(212) 555-0134", False, "••••••••34"),
        ("+49 171 2345678", False, "••••••••••78"),
        (12125550134.0, True, "•••••••••34"),
        (23294827.0, False, "23294827"),  # an id from Excel, not a phone
        ("2024-03-15 10:30", False, "2024-03-15 10:30"),
        ("03/15/2024", False, "03/15/2024"),
        ("1,234.50", False, "1,234.50"),
        ("not an email", True, "n•••"),
        ("E586883B2B4FAF78D48300A79E0E15138D664CDF796FFB86E533170A9893EDA8", True, "E586883B2B4F…"),
        (datetime(2024, 3, 15, 10, 30), False, "2024-03-15 10:30:00"),
        (None, True, ""),
    ],
)
def test_mask_cell(cell, personal, shown):
    assert mask_cell(cell, personal=personal) == shown
