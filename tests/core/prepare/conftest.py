"""Shared by the preparation tests: an export written as a CSV file, as the readers see one."""

import csv

import pytest


@pytest.fixture
def export(tmp_path):
    """write(header, rows, name=..., above=...) -> the path of a UTF-8 CSV with those rows
    (and `above`: rows before the header, such as a report's title)."""

    def write(header, rows, name="export.csv", above=()):
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerows(above)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write
