"""The preview's problems by reason: which rows share each one, for the table's filter."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

from twconv_gui.core.normalize.problems import Problem
from twconv_gui.core.prepare.diagnostics import ReasonGroup
from twconv_gui.core.prepare.preview import PreviewResult
from twconv_gui.core.prepare.reason_groups import GroupKey, ReasonGrouper, grouping_key

# severity, field, column, what the messages share: the rows of one reason share all four.
ReasonKey = GroupKey


def reason_text(where: str | None, message: str) -> str:
    """'Customer Email: is not an email address', or the message alone for a whole row."""
    return f"{where}: {message}" if where else message


def problem_text(problem: Problem) -> str:
    return reason_text(problem.column or problem.field, problem.message)


@dataclass
class ReasonIndex:
    """For each reason, the positions in `PreviewResult.rows` of the rows having it.

    Built once per preview in the worker thread (a scan of the problem rows), so choosing a
    reason in the window is a lookup, never a scan. Reasons are grouped as the quality
    figures group them (core.prepare.reason_groups): "repeats the conversion id of row 12"
    and "... of row 40" are one reason, not one per row (a file with a repeated id on 600,000
    rows listed 600,000 reasons, which stalled the window for 3 s).

    Attributes:
        keys: the reasons, most rows first.
        rows: reason -> positions, ascending.
        texts: reason -> its message, as the quality figures word it.
    """

    keys: list[ReasonKey] = field(default_factory=list)
    rows: dict[ReasonKey, array[int]] = field(default_factory=dict)
    texts: dict[ReasonKey, str] = field(default_factory=dict)

    @classmethod
    def build(cls, result: PreviewResult | None) -> ReasonIndex:
        if result is None:
            return cls()
        rows: dict[ReasonKey, array[int]] = {}
        grouper = ReasonGrouper()
        problems_of = result.rows.problems
        for position in result.problem_indices:
            for problem in problems_of(position):
                positions = rows.setdefault(grouper.add_one(problem), array("q"))
                if not positions or positions[-1] != position:  # grouped rows repeat a reason
                    positions.append(position)
        grouper.groups()  # settles the wording of reasons whose numbers vary
        texts = {key: grouper.group(key).reason for key in rows}
        keys = sorted(rows, key=lambda k: (-len(rows[k]), reason_text(k[2] or k[1], texts[k])))
        return cls(keys, rows, texts)

    def count(self, key: ReasonKey) -> int:
        return len(self.rows.get(key, ()))

    def text(self, key: ReasonKey) -> str:
        """'Order: repeats the conversion id of another row; ...', for the filter's list."""
        return reason_text(key[2] or key[1], self.texts.get(key, key[3]))

    def keys_of(self, group: ReasonGroup) -> list[ReasonKey]:
        """The reasons of the table that make up a group of the quality figures (grouped
        alike; a reason that starts with the group's wording belongs to it too)."""
        shared = grouping_key(group.reason)
        return [
            key
            for key in self.keys
            if key[:3] == (group.severity, group.field, group.column)
            and (key[3] == shared or self.texts[key].startswith(group.reason))
        ]

    def positions(self, keys: Iterable[ReasonKey]) -> array[int]:
        """The rows having any of `keys`, ascending."""
        chosen = [self.rows[k] for k in keys if k in self.rows]
        if len(chosen) == 1:
            return chosen[0]
        return array("q", sorted(set().union(*chosen)))
