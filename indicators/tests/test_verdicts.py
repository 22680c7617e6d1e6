from decimal import Decimal

import pytest

from indicators.verdicts import Direction, Outcome, judge

D = Decimal
HIGH, LOW = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER


@pytest.mark.parametrize(
    ("direction", "actual", "target", "scenario", "outcome", "against"),
    [
        (HIGH, D("7.63"), None, D("7.59"), Outcome.MET, "scenario"),
        (HIGH, D("7.56"), None, D("7.93"), Outcome.MISSED, "scenario"),
        (HIGH, D("8"), D("8"), None, Outcome.MET, "target"),  # reaching it is meeting it
        (HIGH, D("1221"), D("1238"), None, Outcome.MISSED, "target"),
        (LOW, D("2.1"), D("3"), None, Outcome.MET, "target"),
        (LOW, D("3.5"), D("3"), None, Outcome.MISSED, "target"),
        (LOW, D("3"), D("3"), None, Outcome.MET, "target"),
        (LOW, D("4"), None, D("5"), Outcome.MET, "scenario"),
        # The target wins over the scenario.
        (HIGH, D("7.6"), D("8"), D("7.5"), Outcome.MISSED, "target"),
    ],
)
def test_met_and_missed_honour_the_direction(
    direction, actual, target, scenario, outcome, against
):
    verdict = judge(direction=direction, actual=actual, target=target, scenario=scenario)
    assert verdict.outcome == outcome
    assert verdict.against == against
    assert verdict.reference == (target if against == "target" else scenario)
    assert verdict.met is (outcome == Outcome.MET)


@pytest.mark.parametrize("direction", [HIGH, LOW])
def test_no_reference_gives_no_verdict(direction):
    assert judge(direction=direction, actual=D("5.9")) is None


def test_no_actual_gives_no_verdict():
    assert judge(direction=HIGH, actual=None, target=D("2")) is None
