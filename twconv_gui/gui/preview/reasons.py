"""The preview's problems by reason: which rows share each one, for the table's filter."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from twconv_gui.core.normalize.problems import Problem
from twconv_gui.core.prepare.diagnostics import ReasonGroup
from twconv_gui.core.prepare.preview import PreviewResult

# severity, field, column, message: the rows of one reason share all four.
ReasonKey = tuple[str, str, str | None, str]


def reason_key(problem: Problem) -> ReasonKey:
    return (str(problem.severity), problem.field, problem.column, problem.message)


def reason_text(where: str | None, message: str) -> str:
    """'Customer Email: is not an email address', or the message alone for a whole row."""
    return f"{where}: {message}" if where else message


def problem_text(problem: Problem) -> str:
    return reason_text(problem.column or problem.field, problem.message)


def key_text(key: ReasonKey) -> str:
    return reason_text(key[2] or key[1], key[3])


@dataclass
class ReasonIndex:
    """For each reason, the positions in `PreviewResult.rows` of the rows having it.

    Built once per preview in the worker thread (a scan of the problem rows), so choosing a
    reason in the window is a lookup, never a scan.

    Attributes:
        keys: the reasons, most rows first.
        rows: reason -> positions, ascending.
    """

    keys: list[ReasonKey] = field(default_factory=list)
    rows: dict[ReasonKey, array[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, result: PreviewResult | None) -> ReasonIndex:
        rows: dict[ReasonKey, array[int]] = {}
        if result is None:
            return cls()
        problems_of = result.rows.problems
        for position in result.problem_indices:
            for problem in problems_of(position):
                positions = rows.setdefault(reason_key(problem), array("q"))
                if not positions or positions[-1] != position:  # grouped rows repeat a reason
                    positions.append(position)
        keys = sorted(rows, key=lambda k: (-len(rows[k]), key_text(k)))
        return cls(keys, rows)

    def count(self, key: ReasonKey) -> int:
        return len(self.rows.get(key, ()))

    def keys_of(self, group: ReasonGroup) -> list[ReasonKey]:
        """The reasons of the table that make up a group of the quality figures.

        A group's reason is the message without its row-specific part, so a message that
        starts with it belongs to it too.
        """
        return [
            key
            for key in self.keys
            if key[0] == group.severity
            and key[1] == group.field
            and key[2] == group.column
            and key[3].startswith(group.reason)
        ]

    def positions(self, keys: Iterable[ReasonKey]) -> array[int]:
        """The rows having any of `keys`, ascending."""
        chosen = [self.rows[k] for k in keys if k in self.rows]
        if len(chosen) == 1:
            return chosen[0]
        return array("q", sorted(set().union(*chosen)))
