"""Backoff delays and the rate governor, on a fake clock so the tests take no time."""

from __future__ import annotations

import random
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twconv_gui.core.api.client import RateLimit
from twconv_gui.core.api.throttle import Backoff, RateGovernor
from twconv_gui.core.errors import TwconvError

START = 1_700_000_000.0


class FakeTime:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = START
        self.slept = 0.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float, cancel: threading.Event) -> bool:
        assert seconds > 0  # never a busy loop
        with self.lock:
            self.now += seconds
            self.slept += seconds
        return cancel.is_set()


@pytest.fixture
def fake_time():
    return FakeTime()


def governor(fake_time, **kwargs):
    """A governor on the fake clock, which stands for both the wall and the monotonic clock."""
    return RateGovernor(
        clock=fake_time.clock, monotonic=fake_time.clock, sleep=fake_time.sleep, **kwargs
    )


def test_no_limits_means_no_waiting(fake_time):
    gov = governor(fake_time)
    cancel = threading.Event()
    for _ in range(100):
        assert gov.wait_turn(500, cancel)
    assert fake_time.slept == 0
    assert gov.paused_until() is None


def test_429_holds_every_caller_until_the_reset(fake_time):
    gov = governor(fake_time, margin=1.0)
    gov.observe(RateLimit(limit=100, remaining=0, reset_at=START + 30), 429)

    assert gov.paused_until() == START + 31
    cancel = threading.Event()
    assert gov.wait_turn(10, cancel)  # the next caller, whichever worker it is
    assert fake_time.now == START + 31
    assert gov.paused_until() is None
    assert gov.wait_turn(10, cancel)  # and after that, no more waiting
    assert fake_time.now == START + 31


@pytest.mark.parametrize(
    ("rate", "wait"),
    [
        (RateLimit(retry_after=10), 10),
        (RateLimit(), 60),
        (RateLimit(reset_at=START - 5), 60),  # a reset time in the past is skew: ignore it
        (RateLimit(reset_at=START + 20, retry_after=40), 40),  # the later of the two
        (RateLimit(reset_at=START + 86_400), 901),  # never more than one window
    ],
)
def test_429_wait_without_a_usable_reset(fake_time, rate, wait):
    gov = governor(fake_time)
    gov.observe(rate, 429)
    assert gov.wait_turn(1, threading.Event())
    assert fake_time.now == pytest.approx(START + wait)


def test_a_later_429_extends_but_never_shortens_the_pause(fake_time):
    gov = governor(fake_time, margin=0)
    gov.observe(RateLimit(reset_at=START + 50), 429)
    gov.observe(RateLimit(retry_after=5), 429)
    assert gov.paused_until() == START + 50


def test_cancel_wakes_a_waiting_caller(fake_time):
    gov = RateGovernor(clock=fake_time.clock)  # real waiting, frozen clock
    gov.observe(RateLimit(reset_at=START + 30), 429)
    cancel = threading.Event()
    results: list[bool] = []
    waiter = threading.Thread(target=lambda: results.append(gov.wait_turn(1, cancel)))

    started = time.monotonic()
    waiter.start()
    time.sleep(0.05)
    assert results == []  # still held
    cancel.set()
    waiter.join(2)

    assert results == [False]
    assert time.monotonic() - started < 1.0
    assert not gov.wait_turn(1, cancel)  # already cancelled: returns at once


@pytest.mark.parametrize("step", [-3600.0, 3600.0], ids=["back-an-hour", "ahead-an-hour"])
def test_a_wall_clock_step_neither_stretches_nor_cuts_a_hold(monkeypatch, fake_time, step):
    """X's reset time (epoch) becomes a monotonic deadline once; the wall clock is not read
    again while waiting, so NTP or a resumed virtual machine setting it an hour back (or
    ahead) during an 11 s hold leaves the hold at 11 s."""
    wall = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: wall[0] + (fake_time.now - START))
    stepped: list[bool] = []

    def sleep(seconds: float, cancel: threading.Event) -> bool:
        if fake_time.slept >= 2 and not stepped:
            wall[0] += step
            stepped.append(True)
        return fake_time.sleep(seconds, cancel)

    gov = RateGovernor(monotonic=fake_time.clock, sleep=sleep, margin=1.0)
    gov.observe(RateLimit(limit=100, remaining=0, reset_at=time.time() + 10), 429)
    assert gov.wait_turn(1, threading.Event())
    assert stepped
    assert fake_time.slept == pytest.approx(11)


def test_low_remaining_spreads_requests_until_the_reset(fake_time):
    gov = governor(fake_time, workers=4, margin=0)
    cancel = threading.Event()
    gov.observe(RateLimit(limit=100, remaining=20, reset_at=START + 60), 200)
    assert gov.spacing() is None  # 20 left is plenty for 4 workers

    gov.observe(RateLimit(limit=100, remaining=5, reset_at=START + 50), 200)
    assert gov.spacing() == 10
    granted = []
    for _ in range(3):
        assert gov.wait_turn(1, cancel)
        granted.append(fake_time.now - START)
    assert granted == [0, 10, 20]

    # a fresh window: full speed again
    gov.observe(RateLimit(limit=100, remaining=100, reset_at=START + 950), 200)
    assert gov.spacing() is None
    before = fake_time.now
    assert gov.wait_turn(1, cancel)
    assert gov.wait_turn(1, cancel)
    assert fake_time.now == before


def test_spacing_lapses_when_its_window_resets(fake_time):
    gov = governor(fake_time, workers=1, margin=0)
    gov.observe(RateLimit(remaining=1, reset_at=START + 100), 200)
    assert gov.wait_turn(1, threading.Event())
    fake_time.now = START + 101
    assert gov.spacing() is None
    assert gov.wait_turn(1, threading.Event())
    assert fake_time.now == START + 101


def test_no_remaining_without_429_waits_for_the_reset(fake_time):
    gov = governor(fake_time, margin=1)
    gov.observe(RateLimit(remaining=0, reset_at=START + 12), 200)
    assert gov.paused_until() == START + 13
    assert gov.wait_turn(1, threading.Event())
    assert fake_time.now == START + 13


def test_user_ceiling_holds_the_third_batch_until_the_window_frees(fake_time):
    gov = governor(fake_time, events_per_15min=1000)
    cancel = threading.Event()
    assert gov.wait_turn(500, cancel)
    fake_time.now += 100
    assert gov.wait_turn(500, cancel)
    assert gov.events_in_window() == 1000
    assert fake_time.slept == 0

    assert gov.wait_turn(500, cancel)
    assert fake_time.now == START + 900  # the first batch left the 15-minute window
    assert gov.events_in_window() == 1000

    assert gov.wait_turn(500, cancel)
    assert fake_time.now == START + 1000  # then the second one


def test_a_batch_above_the_ceiling_still_goes_alone(fake_time):
    gov = governor(fake_time, events_per_15min=100)
    cancel = threading.Event()
    assert gov.wait_turn(500, cancel)
    assert fake_time.now == START
    assert gov.wait_turn(1, cancel)
    assert fake_time.now == START + 900


def test_ceiling_and_workers_are_validated():
    with pytest.raises(TwconvError, match="at least 1"):
        RateGovernor(events_per_15min=0)
    with pytest.raises(TwconvError, match="workers"):
        RateGovernor(workers=0)


def test_backoff_grows_and_is_capped():
    backoff = Backoff(base=1.0, factor=2.0, cap=30.0)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 30.0), (50, 30.0)]:
        samples = [backoff.delay(attempt, rng) for _ in range(300)]
        assert min(samples) >= 0.5  # never instant
        assert max(samples) <= ceiling
        assert max(samples) > ceiling * 0.9  # the whole range is used: full jitter
        if attempt > 1:
            assert len(set(samples)) > 250  # jittered, so workers do not retry in step
    assert backoff.delay(10_000) <= 30.0


@given(
    attempt=st.integers(min_value=1, max_value=2000),
    base=st.floats(min_value=0.01, max_value=10),
    factor=st.floats(min_value=1, max_value=10),
    seed=st.integers(),
)
def test_backoff_stays_within_bounds(attempt, base, factor, seed):
    backoff = Backoff(base=base, factor=factor, cap=base * 20)
    delay = backoff.delay(attempt, random.Random(seed))
    assert base / 2 <= delay <= base * 20


def test_backoff_rejects_nonsense():
    with pytest.raises(ValueError, match="attempt counts from 1"):
        Backoff().delay(0)
    with pytest.raises(TwconvError, match="cap ≥ base"):
        Backoff(base=10, cap=5)
    with pytest.raises(TwconvError, match="negative"):
        Backoff(attempts=-1)
