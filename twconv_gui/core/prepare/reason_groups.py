"""Problems grouped by reason: one line per reason with how many rows and the first of them,
instead of the same message row after row."""

from __future__ import annotations

import re
from collections.abc import Iterable

from twconv_gui.core.normalize.problems import Problem
from twconv_gui.core.prepare.diagnostics import FIRST_ROWS, ReasonGroup

# "of row 12", "from row 7", "row 3, 5 of the same order": the row-specific part of a message.
_ROW_REFERENCE = re.compile(r"\brows? \d+(?:, \d+)*")
_NUMBER = re.compile(r"\d+")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "left out": 2}


def shared_reason(message: str) -> str:
    """The message with the rows it names replaced: the same text for every row it fits."""
    return _ROW_REFERENCE.sub("another row", message)


GroupKey = tuple[str, str, str | None, str]  # severity, field, column, grouping_key(reason)


def grouping_key(reason: str) -> str:
    """What the messages of one group share: values a message quotes (a date read two ways)
    differ by row, and so do its numbers."""
    return _NUMBER.sub("#", reason)


class ReasonGrouper:
    """Collects problems into ReasonGroups as they come, in file order."""

    def __init__(self) -> None:
        self._groups: dict[GroupKey, ReasonGroup] = {}
        self._varied: set[GroupKey] = set()
        self._keys: dict[str, tuple[str, str]] = {}  # message -> (shared reason, grouping key)

    def add(self, problems: Iterable[Problem], rows: int = 1) -> None:
        """Count each problem once (or `rows` times: a left-out order of several rows)."""
        for problem in problems:
            self.add_one(problem, rows)

    def add_one(self, problem: Problem, rows: int = 1) -> GroupKey:
        """Count one problem (`rows` times); the key of its group."""
        known = self._keys.get(problem.message)
        if known is None:
            reason = shared_reason(problem.message)
            known = (reason, grouping_key(reason))
            if len(self._keys) < 100_000:
                self._keys[problem.message] = known
        reason, key = known
        group_key = (problem.severity.value, problem.field, problem.column, key)
        group = self._groups.get(group_key)
        if group is None:
            group = self._groups[group_key] = ReasonGroup(
                problem.severity.value, problem.field, problem.column, reason
            )
        elif group.reason != reason:
            self._varied.add(group_key)
        group.count += rows
        if len(group.first_rows) < FIRST_ROWS:
            group.first_rows.append(problem.row)
        return group_key

    def group(self, key: GroupKey) -> ReasonGroup:
        """The group of a key add_one() gave (its reason final once groups() was called)."""
        return self._groups[key]

    def groups(self) -> list[ReasonGroup]:
        """Errors first, then warnings, then rows left out; most rows first within each."""
        for key in self._varied:  # the numbers differ from row to row: say so, not the first's
            group = self._groups[key]
            group.reason = _NUMBER.sub("…", group.reason)
        self._varied.clear()
        for group in self._groups.values():
            group.first_rows.sort()
        return sorted(
            self._groups.values(), key=lambda g: (_SEVERITY_ORDER.get(g.severity, 3), -g.count)
        )
