"""Sending one batch: retries with backoff, the shared rate governor, and bisection on 400."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from twconv_gui.core.api.client import ApiClient, ApiResponse, TransportError
from twconv_gui.core.api.throttle import Backoff, RateGovernor
from twconv_gui.core.payload import join_conversions

log = logging.getLogger(__name__)

MAX_RATE_LIMIT_WAITS = 20  # 429s per request before the batch is given up
BISECT_REQUEST_BUDGET = 64  # extra requests one batch may spend pinning bad events
NOT_AN_ACKNOWLEDGEMENT = (
    "without data.conversions_processed: not an answer of X's conversions API (a Wi-Fi "
    "sign-in page, a proxy or a wrong API host?)"
)


class StopUpload(Exception):  # noqa: N818 - a signal between threads, not an error
    """An answer that no retry or other batch can fix (401/403/404): the whole job stops."""

    def __init__(self, response: ApiResponse) -> None:
        super().__init__(response.describe())
        self.response = response


@dataclass
class Rejection:
    """Events X refused, pinned by bisection (or left unpinned when the budget ran out)."""

    rows: list[int]
    code: str
    message: str
    events: int = 1
    positions: list[int] = field(default_factory=list)  # in the batch, 0-based


@dataclass
class SendOutcome:
    """What happened to one batch's events, across all its requests."""

    acknowledged: int = 0
    acknowledged_positions: list[int] = field(default_factory=list)  # in the batch, 0-based
    processed_total: int = 0
    debug_ids: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    failed_rows: list[int] = field(default_factory=list)
    failed_events: int = 0
    error: str | None = None
    requests: int = 0
    cancelled: bool = False
    short_processed: bool = False

    def fail(self, rows: Sequence[Sequence[int]]) -> None:
        """These events were not delivered (retries ran out, or an unexpected answer)."""
        self.failed_rows.extend(_flat(rows))
        self.failed_events += len(rows)

    @property
    def rejected_positions(self) -> list[int]:
        return [position for r in self.rejections for position in r.positions]


class Cancelled(Exception):  # noqa: N818 - internal: unwinds a send when the user cancels
    pass


class BatchSender:
    """Delivers batches through one shared client; safe to call from several worker threads.

    Args:
        client: signs and sends; one keep-alive session per calling thread.
        pixel_id: the conversions endpoint's pixel.
        governor: shared by every worker (429 holds, quota spacing, user ceiling).
        backoff: retry delays for 408/423/5xx, timeouts and dropped connections.
        cancel: set by the user; checked between requests and during waits.
        resume: cleared while the user pauses; workers wait on it between requests.
    """

    def __init__(
        self,
        client: ApiClient,
        pixel_id: str,
        *,
        governor: RateGovernor,
        backoff: Backoff,
        cancel: threading.Event,
        resume: threading.Event,
    ) -> None:
        self.client = client
        self.pixel_id = pixel_id
        self.governor = governor
        self.backoff = backoff
        self.cancel = cancel
        self.resume = resume

    def send(
        self,
        events: Sequence[bytes],
        rows: Sequence[Sequence[int]],
        body: bytes | None = None,
        positions: Sequence[int] | None = None,
    ) -> SendOutcome:
        """Send a batch (`body`: its encoded request, when made already); on 400, bisect so
        good events get through and bad ones are pinned.

        `positions` are the events' places in their journal batch (a resume sends only some
        of them); the outcome says which positions were acknowledged and rejected.
        """
        outcome = SendOutcome()
        places = range(len(events)) if positions is None else positions
        try:
            response = self._request(events, outcome, body)
            if response is None:
                outcome.fail(rows)
            elif response.ok:
                self._acknowledge(response, places, outcome)
            elif response.is_bad_request and len(events) > 1:
                self._bisect(
                    list(events), list(rows), list(places), response, outcome, known_bad=True
                )
            elif response.is_bad_request:
                outcome.rejections.append(_rejection(rows[0], places[0], response))
            else:
                outcome.error = response.describe()
                outcome.fail(rows)
        except Cancelled:
            outcome.cancelled = True
        return outcome

    # -- one request, retried -----------------------------------------------------------------

    def _request(
        self, events: Sequence[bytes], outcome: SendOutcome, body: bytes | None = None
    ) -> ApiResponse | None:
        """The final answer for these events, or None when retries ran out (error set)."""
        if body is None:
            body = join_conversions(events)
        attempt = rate_waits = 0
        while True:
            self._wait_until_allowed(len(events))
            outcome.requests += 1
            try:
                response = self.client.post_body(self.pixel_id, body)
            except TransportError as exc:
                attempt += 1
                if not self._retry_after_failure(str(exc), attempt, outcome):
                    return None
                continue
            self.governor.observe(response.rate, response.status)
            if response.ok and response.processed is None:
                # A captive portal, a proxy or a wrong host: not X's acknowledgement.
                attempt += 1
                what = f"{response.describe()}, {NOT_AN_ACKNOWLEDGEMENT}"
                if not self._retry_after_failure(what, attempt, outcome):
                    return None
                continue
            if response.ok and response.debug_id:
                outcome.debug_ids.append(response.debug_id)
            if response.is_auth_problem or response.is_not_found:
                raise StopUpload(response)
            if response.is_rate_limited:
                rate_waits += 1
                if rate_waits > MAX_RATE_LIMIT_WAITS:
                    outcome.error = f"still rate limited after {rate_waits} waits"
                    return None
                continue  # the governor holds everyone until the reset time
            if response.is_transient:
                attempt += 1
                if not self._retry_after_failure(response.describe(), attempt, outcome):
                    return None
                continue
            return response

    def _retry_after_failure(self, what: str, attempt: int, outcome: SendOutcome) -> bool:
        """Wait before the next attempt (True), or record the error when none is left."""
        problem = f"{what} (attempt {attempt} of {self.backoff.attempts})"
        log.warning("batch request failed: %s", problem)
        if attempt >= self.backoff.attempts:
            outcome.error = problem
            return False
        self._sleep(self.backoff.delay(attempt))
        return True

    def _wait_until_allowed(self, events: int) -> None:
        while not self.resume.is_set():
            if self.cancel.is_set():
                raise Cancelled
            self.resume.wait(0.2)
        if self.cancel.is_set() or not self.governor.wait_turn(events, self.cancel):
            raise Cancelled

    def _sleep(self, seconds: float) -> None:
        if self.cancel.wait(seconds):
            raise Cancelled

    # -- results ------------------------------------------------------------------------------

    @staticmethod
    def _acknowledge(response: ApiResponse, places: Sequence[int], outcome: SendOutcome) -> None:
        sent = len(places)
        processed = response.processed if response.processed is not None else sent
        outcome.acknowledged += sent
        outcome.acknowledged_positions.extend(places)
        outcome.processed_total += processed
        if processed < sent:
            outcome.short_processed = True

    def _bisect(
        self,
        events: list[bytes],
        rows: list[Sequence[int]],
        places: list[int],
        response: ApiResponse,
        outcome: SendOutcome,
        *,
        known_bad: bool,
    ) -> None:
        """Pin the bad events of a rejected run of events.

        A run known to be bad is split; its left half is sent. When the left half passes,
        the right half must hold the bad event, so it is split again without being sent
        whole: about one request per halving, log2(batch size) per bad event.
        """
        if len(events) == 1:
            outcome.rejections.append(_rejection(rows[0], places[0], response))
            return
        if outcome.requests > BISECT_REQUEST_BUDGET:
            outcome.rejections.append(
                Rejection(
                    _flat(rows),
                    _code(response),
                    f"{_message(response)} (X rejected too many events of this batch to pin "
                    "each one; fix the rows and send them again)",
                    events=len(events),
                    positions=places,
                )
            )
            return
        middle = len(events) // 2
        halves = (
            (events[:middle], rows[:middle], places[:middle]),
            (events[middle:], rows[middle:], places[middle:]),
        )
        left_ok = False
        for index, (part, part_rows, part_places) in enumerate(halves):
            if index == 1 and left_ok and known_bad:
                self._bisect(part, part_rows, part_places, response, outcome, known_bad=True)
                return
            answer = self._request(part, outcome)
            if answer is None:
                outcome.fail(part_rows)
            elif answer.ok:
                self._acknowledge(answer, part_places, outcome)
                left_ok = index == 0
            elif answer.is_bad_request:
                self._bisect(part, part_rows, part_places, answer, outcome, known_bad=True)
            else:
                outcome.error = answer.describe()
                outcome.fail(part_rows)


def _flat(rows: Sequence[Sequence[int]]) -> list[int]:
    return [row for group in rows for row in group]


def _code(response: ApiResponse) -> str:
    return response.errors[0].code if response.errors else str(response.status)


def _message(response: ApiResponse) -> str:
    if response.errors:
        return "; ".join(e.message for e in response.errors)
    return response.describe()


def _rejection(rows: Sequence[int], place: int, response: ApiResponse) -> Rejection:
    return Rejection(list(rows), _code(response), _message(response), positions=[place])
