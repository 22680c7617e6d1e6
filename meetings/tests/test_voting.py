import pytest

from meetings.voting import (
    PassRule,
    Tally,
    VoteResult,
    compute_result,
    count_errors,
    roll_call_errors,
)

ADOPTED, REJECTED = VoteResult.ADOPTED, VoteResult.REJECTED


@pytest.mark.parametrize(
    ("tally", "rule", "expected"),
    [
        # More than half of all members: 38 of 75 passes, 37 does not (absences count).
        (Tally(votes_for=38, total=75), PassRule.MAJORITY_OF_MEMBERS, ADOPTED),
        (Tally(votes_for=37, present=40, total=75), PassRule.MAJORITY_OF_MEMBERS, REJECTED),
        # Exactly half is not "more than half".
        (Tally(votes_for=30, total=60), PassRule.MAJORITY_OF_MEMBERS, REJECTED),
        (Tally(votes_for=21, present=40, total=75), PassRule.MAJORITY_OF_PRESENT, ADOPTED),
        (Tally(votes_for=20, present=40, total=75), PassRule.MAJORITY_OF_PRESENT, REJECTED),
        # Two thirds means at least two thirds: 50 of 75, 20 of 30 (not 19).
        (Tally(votes_for=50, total=75), PassRule.TWO_THIRDS_OF_MEMBERS, ADOPTED),
        (Tally(votes_for=49, total=75), PassRule.TWO_THIRDS_OF_MEMBERS, REJECTED),
        (Tally(votes_for=20, present=30, total=75), PassRule.TWO_THIRDS_OF_PRESENT, ADOPTED),
        (Tally(votes_for=19, present=30, total=75), PassRule.TWO_THIRDS_OF_PRESENT, REJECTED),
        (Tally(votes_for=21, total=31), PassRule.TWO_THIRDS_OF_MEMBERS, ADOPTED),
        (Tally(votes_for=20, total=31), PassRule.TWO_THIRDS_OF_MEMBERS, REJECTED),
    ],
)
def test_compute_result_from_counts_and_rule(tally, rule, expected):
    assert compute_result(tally, rule) == expected


@pytest.mark.parametrize(
    ("tally", "rule"),
    [
        # "Biểu quyết thông qua" without tallies: staff enter the outcome.
        (Tally(), PassRule.MAJORITY_OF_MEMBERS),
        (Tally(votes_for=40, total=75), PassRule.NOT_STATED),
        # The rule's base is unknown.
        (Tally(votes_for=40, present=70), PassRule.MAJORITY_OF_MEMBERS),
        (Tally(votes_for=40, total=75), PassRule.MAJORITY_OF_PRESENT),
        (Tally(votes_for=0, present=0), PassRule.MAJORITY_OF_PRESENT),
    ],
)
def test_compute_result_undecidable(tally, rule):
    assert compute_result(tally, rule) is None


def test_count_errors_names_the_impossible_figures():
    assert count_errors(Tally(votes_for=40, votes_against=5, present=44, total=75)) == {
        "votes_for": "Tổng số tán thành, không tán thành và không biểu quyết (45) không thể "
        "lớn hơn số có mặt (44)."
    }
    assert count_errors(Tally(present=80, total=75)) == {
        "present": "Số có mặt (80) không thể lớn hơn tổng số thành viên (75)."
    }
    assert "votes_for" in count_errors(Tally(votes_for=70, abstentions=6, total=75))
    assert count_errors(Tally(votes_for=70, votes_against=3, abstentions=2, present=75)) == {}
    assert count_errors(Tally()) == {}


FOR, AGAINST, ABSTAIN, ABSENT = "for", "against", "abstain", "absent"


@pytest.mark.parametrize(
    ("tally", "choices", "problems"),
    [
        # Some members recorded, within every figure: fine.
        (Tally(votes_for=40, votes_against=2, present=45, total=50), [FOR, FOR, AGAINST], []),
        # Figures not published: nothing to contradict.
        (Tally(), [FOR, AGAINST, ABSENT], []),
        # More members recorded for a choice than its figure.
        (Tally(votes_for=1, total=50), [FOR, FOR], ["2 “Tán thành”, trái với số đã công bố (1)"]),
        (Tally(abstentions=0), [ABSTAIN], ["1 “Không biểu quyết”, trái với số đã công bố (0)"]),
        # Absent members are not present; more present than the figure.
        (Tally(present=2, total=5), [FOR, AGAINST, ABSENT, ABSENT], []),
        (Tally(present=2, total=5), [FOR, AGAINST, ABSTAIN], ["3 “có mặt”, trái với số"]),
        # More members than the body has.
        (Tally(total=2), [FOR, FOR, ABSENT], ["3 người, nhiều hơn tổng số thành viên (2)"]),
        # Every member recorded: each figure must be their count.
        (Tally(votes_for=3, votes_against=0, present=3, total=3), [FOR, FOR, FOR], []),
        (Tally(votes_for=3, present=3, total=3), [FOR, FOR, ABSENT],
         ["2 “Tán thành”, trái với số đã công bố (3)", "2 “có mặt”, trái với số đã công bố (3)"]),
    ],
)  # fmt: skip
def test_members_votes_cannot_contradict_the_published_figures(tally, choices, problems):
    errors = roll_call_errors(tally, choices)
    assert len(errors) == len(problems), errors
    for error, problem in zip(errors, problems, strict=True):
        assert problem in error
