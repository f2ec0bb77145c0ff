"""Benchmark: from a 100k-row export to acknowledged events, three ways, against one server.

Run with `make bench`. A local Sandbox adds 50 ms to every request (a WAN round trip). Side by
side, in one run:
  ours  `twconv upload` with default settings (prepares and sends at the same time);
  sdk   `twconv prepare`, then the official twitter-ads SDK's generic Request loop (one new
        OAuth1Session per request, as the SDK does);
  bare  `twconv prepare`, then a bare keep-alive requests-oauthlib loop with as many threads as
        our default workers.
Targets: ours >= 3.5x faster than sdk, >= 0.8x the speed of bare; peak memory of `twconv
upload` flat in the number of events (compared with a 20k-row file). Each round runs the three
paths one after the other (so they share the machine's state); medians of --repeat rounds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import queue
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from requests_oauthlib import OAuth1Session

from twconv_gui.core.upload import DEFAULT_WORKERS
from twconv_gui.sandbox import DEMO

OUT = Path(__file__).parent / "out"
BATCH = 500
PYTHON = sys.executable
ENV = {
    "TWCONV_CONSUMER_KEY": DEMO.consumer_key,
    "TWCONV_CONSUMER_SECRET": DEMO.consumer_secret,
    "TWCONV_ACCESS_TOKEN": DEMO.access_token,
    "TWCONV_ACCESS_TOKEN_SECRET": DEMO.access_token_secret,
}


AREA_CODES = (201, 202, 206, 212, 213, 303, 305, 312, 404, 415, 503, 512, 602, 617, 702, 718)


def write_export(path: Path, count: int) -> None:
    """A shop's order export: about 3 orders in 10 come from returning customers (same email
    and phone as before), half of the customers left a phone number, in mixed notations."""
    rng = random.Random(3)
    start = datetime(2026, 10, 1, 8)
    notations = ("+1 ({a}) {b}-{c}", "+1 {a} {b} {c}", "+1{a}{b}{c}", "+1-{a}-{b}-{c}")
    customers = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Order ID", "Order Date", "Email", "Phone", "Total"])
        for i in range(count):
            if customers and rng.random() < 0.3:
                customer = rng.randrange(customers)
            else:
                customer, customers = customers, customers + 1
            phone = ""
            if customer % 2:
                # Area codes and exchanges in service: phones are checked for validity.
                a = AREA_CODES[customer // 10**4 % len(AREA_CODES)]
                b, c = 200 + customer // 10**4 % 800, customer % 10**4
                phone = notations[customer % 4].format(a=a, b=f"{b:03d}", c=f"{c:04d}")
            when = start + timedelta(seconds=rng.randint(0, 50 * 86400))
            writer.writerow(
                [f"B-{i}", f"{when:%Y-%m-%d %H:%M:%S}", f"buyer{customer}@example.com", phone,
                 f"{rng.uniform(5, 500):.2f}"]
            )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command[:4]} failed:\n{result.stderr[-2000:]}")
    return time.perf_counter() - started, result.stdout


def peak_child_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def sdk_loop(events_path: Path, base_url: str) -> None:
    """The twitter-ads SDK's generic Request, one per batch (it builds a new session each)."""
    from twitter_ads.client import Client  # noqa: PLC0415 - bench-only dependency
    from twitter_ads.http import Request  # noqa: PLC0415

    client = Client(DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token,
                    DEMO.access_token_secret)  # fmt: skip
    resource_path = f"/12/measurement/conversions/{DEMO.pixel_id}"
    processed = 0
    for batch in read_batches(events_path):
        response = Request(
            client, "post", resource_path, domain=base_url,
            body=json.dumps({"conversions": batch}),
            headers={"Content-Type": "application/json"},
        ).perform()  # fmt: skip
        processed += response.body["data"]["conversions_processed"]
    print(processed)


def bare_loop(events_path: Path, base_url: str) -> None:
    """Keep-alive OAuth1 sessions, one per thread, DEFAULT_WORKERS threads."""
    work: queue.Queue[list[dict[str, object]] | None] = queue.Queue(maxsize=2 * DEFAULT_WORKERS)
    processed = [0]
    lock = threading.Lock()
    url = f"{base_url}/12/measurement/conversions/{DEMO.pixel_id}"

    def worker() -> None:
        session = OAuth1Session(DEMO.consumer_key, DEMO.consumer_secret, DEMO.access_token,
                                DEMO.access_token_secret)  # fmt: skip
        while (batch := work.get()) is not None:
            answer = session.post(url, json={"conversions": batch}, timeout=60)
            answer.raise_for_status()
            with lock:
                processed[0] += answer.json()["data"]["conversions_processed"]

    threads = [threading.Thread(target=worker) for _ in range(DEFAULT_WORKERS)]
    for thread in threads:
        thread.start()
    for batch in read_batches(events_path):
        work.put(batch)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join()
    print(processed[0])


def read_batches(path: Path):  # type: ignore[no-untyped-def]
    batch: list[dict[str, object]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            batch.append(json.loads(line))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    parser.add_argument("loop", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.loop:  # child process of the benchmark
        kind, events_path, base_url = args.loop
        (sdk_loop if kind == "sdk" else bare_loop)(Path(events_path), base_url)
        return
    OUT.mkdir(exist_ok=True)
    export, small = OUT / f"upload_{args.rows}.csv", OUT / "upload_20000.csv"
    for path, count in ((export, args.rows), (small, 20_000)):
        if not path.exists():
            write_export(path, count)
    mapping = OUT / "upload_mapping.json"
    mapping.write_text(json.dumps({
        "columns": {"conversion_id": "Order ID", "conversion_time": "Order Date",
                    "email": "Email", "phone": "Phone", "value": "Total"},
        "constants": {"event_id": DEMO.events[0].id}, "timezone": "America/New_York",
    }))  # fmt: skip
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    sandbox = subprocess.Popen(
        [PYTHON, "-m", "twconv_gui.cli", "sandbox", "--port", str(port),
         "--latency", str(args.latency)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    rounds: list[dict[str, float]] = []
    try:
        time.sleep(2.0)
        with tempfile.TemporaryDirectory() as data:
            env = {**os.environ, **ENV, "TWCONV_DATA_DIR": data}
            twconv = [PYTHON, "-m", "twconv_gui.cli"]
            flags = ["--mapping", str(mapping), "--pixel-id", DEMO.pixel_id,
                     "--api-base", base_url, "--force", "--json"]  # fmt: skip
            small_time, _ = timed([*twconv, "upload", str(small), *flags], env)
            small_rss = peak_child_rss_mib()
            events = Path(data) / "events.jsonl"
            prepare = [*twconv, "prepare", str(export), "--mapping", str(mapping), "--out",
                       str(events)]  # fmt: skip
            for number in range(1, args.repeat + 1):
                ours, out = timed([*twconv, "upload", str(export), *flags], env)
                if number == 1:
                    ours_rss = peak_child_rss_mib()
                    acknowledged = json.loads(out)["events_acknowledged"]
                prep_sdk, _ = timed(prepare, env)
                sdk, sdk_out = timed([PYTHON, __file__, "sdk", str(events), base_url], env)
                prep_bare, _ = timed(prepare, env)
                bare, bare_out = timed([PYTHON, __file__, "bare", str(events), base_url], env)
                rounds.append({"ours": ours, "prep_sdk": prep_sdk, "sdk": sdk,
                               "prep_bare": prep_bare, "bare": bare})  # fmt: skip
                print(f"  round {number}: ours {ours:.2f} s, sdk path {prep_sdk + sdk:.2f} s, "
                      f"bare path {prep_bare + bare:.2f} s", flush=True)  # fmt: skip
    finally:
        sandbox.terminate()
        sandbox.wait(10)
    mid = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    vs_sdk = sorted((r["prep_sdk"] + r["sdk"]) / r["ours"] for r in rounds)
    vs_bare = sorted((r["prep_bare"] + r["bare"]) / r["ours"] for r in rounds)
    print(f"{args.rows:,} rows, {args.latency * 1000:.0f} ms per request, batches of {BATCH}; "
          f"medians of {len(rounds)} rounds")  # fmt: skip
    print(f"  ours: twconv upload            {mid['ours']:7.2f} s  ({acknowledged:,} acknowledged)")
    print(f"  sdk:  prepare {mid['prep_sdk']:5.2f} s + SDK loop {mid['sdk']:6.2f} s  "
          f"({sdk_out.strip()} processed)")  # fmt: skip
    print(f"  bare: prepare {mid['prep_bare']:5.2f} s + bare loop {mid['bare']:5.2f} s  "
          f"({bare_out.strip()} processed)")  # fmt: skip
    print(f"  ours vs sdk:  {statistics.median(vs_sdk):.2f}x faster, rounds "
          f"{vs_sdk[0]:.2f}-{vs_sdk[-1]:.2f} (target >= 3.5)")  # fmt: skip
    print(f"  ours vs bare: {statistics.median(vs_bare):.2f}x the speed, rounds "
          f"{vs_bare[0]:.2f}-{vs_bare[-1]:.2f} (target >= 0.8)")  # fmt: skip
    print(f"  peak memory of twconv upload: {small_rss:.0f} MiB after 20,000 rows "
          f"({small_time:.1f} s), {ours_rss:.0f} MiB after {args.rows:,}")  # fmt: skip


if __name__ == "__main__":
    main()
