"""How a vote's result follows from its counts and its pass rule.

Party and State bodies publish most votes as "biểu quyết thông qua" without tallies, so a
vote's result is computed here only when the counts the rule needs are known; otherwise
staff enter the published outcome.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PassRule(models.TextChoices):
    NOT_STATED = "", _("Không nêu")
    MAJORITY_OF_MEMBERS = "majority_members", _("Quá nửa tổng số thành viên")
    MAJORITY_OF_PRESENT = "majority_present", _("Quá nửa số thành viên có mặt")
    TWO_THIRDS_OF_MEMBERS = "two_thirds_members", _("Từ hai phần ba tổng số thành viên")
    TWO_THIRDS_OF_PRESENT = "two_thirds_present", _("Từ hai phần ba số thành viên có mặt")


class VoteResult(models.TextChoices):
    ADOPTED = "adopted", _("Thông qua")
    REJECTED = "rejected", _("Không thông qua")


class Choice(models.TextChoices):
    """How one member voted, where the body published it."""

    FOR = "for", _("Tán thành")
    AGAINST = "against", _("Không tán thành")
    ABSTAIN = "abstain", _("Không biểu quyết")
    ABSENT = "absent", _("Vắng mặt")


@dataclass(frozen=True)
class Tally:
    """The published figures of one vote; None where a figure was not published."""

    votes_for: int | None = None
    votes_against: int | None = None
    abstentions: int | None = None
    present: int | None = None
    total: int | None = None

    @property
    def cast(self) -> int:
        """Votes counted (for + against + abstaining), treating unpublished ones as zero."""
        return sum(n or 0 for n in (self.votes_for, self.votes_against, self.abstentions))


def count_errors(tally: Tally) -> dict[str, str]:
    """Impossible combinations of counts, keyed by the field to blame."""
    errors: dict[str, str] = {}
    if tally.present is not None and tally.total is not None and tally.present > tally.total:
        errors["present"] = str(
            _("Số có mặt (%(present)d) không thể lớn hơn tổng số thành viên (%(total)d).")
            % {"present": tally.present, "total": tally.total}
        )
    if tally.present is not None and tally.cast > tally.present:
        errors["votes_for"] = str(
            _(
                "Tổng số tán thành, không tán thành và không biểu quyết (%(cast)d) không thể "
                "lớn hơn số có mặt (%(present)d)."
            )
            % {"cast": tally.cast, "present": tally.present}
        )
    elif tally.total is not None and tally.cast > tally.total:
        errors["votes_for"] = str(
            _(
                "Tổng số tán thành, không tán thành và không biểu quyết (%(cast)d) không thể "
                "lớn hơn tổng số thành viên (%(total)d)."
            )
            % {"cast": tally.cast, "total": tally.total}
        )
    return errors


def compute_result(tally: Tally, rule: PassRule | str) -> VoteResult | None:
    """The result the counts give under `rule`, or None when they cannot decide it.

    "Quá nửa" means strictly more than half; "hai phần ba" means at least two thirds
    (integer arithmetic, so 2/3 of 31 members needs 21 votes).
    """
    rule = PassRule(rule)
    if tally.votes_for is None or rule == PassRule.NOT_STATED:
        return None
    if rule in (PassRule.MAJORITY_OF_MEMBERS, PassRule.TWO_THIRDS_OF_MEMBERS):
        base = tally.total
    else:
        base = tally.present
    if base is None or base == 0:
        return None
    if rule in (PassRule.MAJORITY_OF_MEMBERS, PassRule.MAJORITY_OF_PRESENT):
        passed = tally.votes_for * 2 > base
    else:
        passed = tally.votes_for * 3 >= base * 2
    return VoteResult.ADOPTED if passed else VoteResult.REJECTED


# The published figure counting the members who made each choice.
CHOICE_FIGURES = {
    Choice.FOR: "votes_for",
    Choice.AGAINST: "votes_against",
    Choice.ABSTAIN: "abstentions",
}


def roll_call_errors(tally: Tally, choices: Iterable[str]) -> list[str]:
    """Where the members' recorded votes (`choices`, one per member) contradict the
    published figures: more members recorded for a choice, present or in all than its
    figure; or, every member recorded, a figure other than their count."""
    recorded = Counter(choices)
    everyone = sum(recorded.values())
    complete = tally.total is not None and everyone == tally.total
    counts = [
        (Choice(choice).label, recorded[choice], getattr(tally, figure))
        for choice, figure in CHOICE_FIGURES.items()
    ]
    counts.append((_("có mặt"), everyone - recorded[Choice.ABSENT], tally.present))
    errors = []
    for what, found, published in counts:
        if published is not None and (found > published or (complete and found != published)):
            errors.append(
                _("Phiếu từng thành viên: %(found)d “%(what)s”, trái với số đã công bố (%(n)d).")
                % {"found": found, "what": what, "n": published}
            )
    if tally.total is not None and everyone > tally.total:
        errors.append(
            _("Phiếu từng thành viên: %(found)d người, nhiều hơn tổng số thành viên (%(n)d).")
            % {"found": everyone, "n": tally.total}
        )
    return [str(error) for error in errors]
