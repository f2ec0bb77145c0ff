"""Benchmark: prepare 200k-row exports against the unavoidable work, and `check` memory at 1M rows.

Run with `make bench`. Prints, for a CSV and an XLSX of 200k rows, the time of the full
preparation beside a baseline measured in the same run: the raw read of the file, one SHA-256
per identifier and one phonenumbers.parse + is_valid_number per phone (validity is part of
the job: phones must be valid, not just of a plausible length); medians of --repeat rounds,
each round measuring both. Target: ratio <= 1.5. Then runs
`twconv check` on a 1M-row CSV in a child process and prints its peak memory (target < 1 GB).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import phonenumbers
from openpyxl import Workbook
from python_calamine import load_workbook

from twconv_gui.core.mapping.profile import MappingProfile
from twconv_gui.core.prepare.preparation import Preparation
from twconv_gui.core.reading.opening import open_table

OUT = Path(__file__).parent / "out"
HEADER = ["Order ID", "Order Date", "Email", "Phone", "Total", "Currency", "Items"]
MAPPING = {
    "columns": {
        "conversion_id": "Order ID",
        "conversion_time": "Order Date",
        "email": "Email",
        "phone": "Phone",
        "value": "Total",
        "price_currency": "Currency",
        "number_items": "Items",
    },
    "constants": {"event_id": "o87ne"},
    "timezone": "America/New_York",
    "phone_region": "US",
}


# Area codes in service: phones are checked for validity, and a bench of invalid numbers would
# measure warnings instead of hashes.
AREA_CODES = (201, 202, 206, 212, 213, 303, 305, 312, 404, 415, 503, 512, 602, 617, 702, 718)


def rows(count: int, seed: int = 1):
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 8, 0)
    for i in range(count):
        when = start + timedelta(seconds=rng.randint(0, 300 * 86400))
        yield [
            float(10_000_000 + i),
            when,
            f"Customer.{i}@Example{rng.randint(1, 50)}.com ",
            f"({rng.choice(AREA_CODES)}) 555-{rng.randint(0, 9999):04d}",
            round(rng.uniform(5, 2000), 2),
            "USD",
            rng.randint(1, 9),
        ]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for r in rows(count):
            r[0] = str(int(r[0]))
            r[1] = r[1].strftime("%Y-%m-%d %H:%M:%S")
            r[4] = f"{r[4]:,.2f}"
            writer.writerow(r)


def write_xlsx(path: Path, count: int) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Orders")
    sheet.append(HEADER)
    for r in rows(count):
        sheet.append(r)
    book.save(path)


def baseline(path: Path) -> float:
    """Raw read + one SHA-256 per identifier + one parse and validity check per phone."""
    started = time.perf_counter()
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            for cells in reader:
                hashlib.sha256(cells[2].strip().lower().encode()).hexdigest()
                number = phonenumbers.parse(cells[3], "US")
                phonenumbers.is_valid_number(number)
                hashlib.sha256(f"+{number.country_code}{number.national_number}".encode())
    else:
        sheet = load_workbook(str(path)).get_sheet_by_index(0)
        iterator = sheet.iter_rows()
        next(iterator)
        for cells in iterator:
            hashlib.sha256(str(cells[2]).strip().lower().encode()).hexdigest()
            number = phonenumbers.parse(str(cells[3]), "US")
            phonenumbers.is_valid_number(number)
            hashlib.sha256(f"+{number.country_code}{number.national_number}".encode())
    return time.perf_counter() - started


def prepare(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    preparation = Preparation(open_table(path), MappingProfile.from_dict(MAPPING))
    ready = sum(1 for item in preparation if item.ok)
    return time.perf_counter() - started, ready


def check_memory(path: Path, mapping: Path) -> tuple[float, int, float]:
    """Peak RSS (MiB) of `twconv check` on the file, run as a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "twconv_gui.cli", "check", str(path), "--mapping", str(mapping)],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(peak, before) / 1024, result.returncode, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    files = [OUT / f"bench_{args.rows}.csv", OUT / f"bench_{args.rows}.xlsx"]
    for path in files:
        if not path.exists():
            print(f"generating {path.name}…", flush=True)
            (write_csv if path.suffix == ".csv" else write_xlsx)(path, args.rows)
    for path in files:
        # Baseline and preparation alternate, so both see the machine in the same state;
        # medians, because this kind of machine drifts by a quarter over minutes.
        rounds = [(baseline(path), *prepare(path)) for _ in range(args.repeat)]
        base = statistics.median(r[0] for r in rounds)
        took = statistics.median(r[1] for r in rounds)
        ratios = sorted(r[1] / r[0] for r in rounds)
        print(
            f"{path.name}: prepare {took:.2f} s ({rounds[0][2]:,} ready), baseline {base:.2f} s, "
            f"ratio {statistics.median(ratios):.2f}, rounds {ratios[0]:.2f}-{ratios[-1]:.2f} "
            "(target <= 1.5)"
        )
    big = OUT / f"bench_{args.memory_rows}.csv"
    if not big.exists():
        print(f"generating {big.name}…", flush=True)
        write_csv(big, args.memory_rows)
    mapping = OUT / "mapping.json"
    mapping.write_text(json.dumps(MAPPING))
    peak, code, elapsed = check_memory(big, mapping)
    print(
        f"check {big.name}: exit {code}, {elapsed:.1f} s, peak memory {peak:.0f} MiB "
        "(target < 1024)"
    )


if __name__ == "__main__":
    main()
