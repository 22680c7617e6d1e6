"""Whether an indicator met its target or scenario for a period: the portal's one rule."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Càng cao càng tốt")
    LOWER_IS_BETTER = "lower", _("Càng thấp càng tốt")


class Outcome(models.TextChoices):
    MET = "met", _("Đạt")
    MISSED = "missed", _("Chưa đạt")


@dataclass(frozen=True)
class Verdict:
    """The outcome, and what it was judged against ("target" or "scenario") and its value."""

    outcome: Outcome
    against: str
    reference: Decimal

    @property
    def met(self) -> bool:
        return self.outcome == Outcome.MET

    @property
    def text(self) -> str:
        """What a citizen reads: "Đạt kịch bản", "Chưa đạt kế hoạch"…"""
        if self.against == "target":
            return str(_("Đạt kế hoạch") if self.met else _("Chưa đạt kế hoạch"))
        return str(_("Đạt kịch bản") if self.met else _("Chưa đạt kịch bản"))


NO_VERDICT_TEXT = _("Không có kế hoạch, kịch bản để so sánh")


def judge(
    *,
    direction: str,
    actual: Decimal | None,
    target: Decimal | None = None,
    scenario: Decimal | None = None,
) -> Verdict | None:
    """Judge `actual` against the period's target (plan) or, when there is none, its scenario.

    Reaching the reference exactly counts as met. No actual figure, or neither a target nor
    a scenario, gives no verdict (None) — never "met" by default. The target wins over the
    scenario because the plan is the binding commitment; the scenario is the path to it.
    """
    if actual is None:
        return None
    if target is not None:
        against, reference = "target", target
    elif scenario is not None:
        against, reference = "scenario", scenario
    else:
        return None
    lower_is_better = direction == Direction.LOWER_IS_BETTER
    met = actual <= reference if lower_is_better else actual >= reference
    return Verdict(Outcome.MET if met else Outcome.MISSED, against, reference)
