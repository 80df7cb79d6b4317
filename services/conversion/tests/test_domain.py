"""The rules engine's decisions without I/O."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cbkit.errors import Refusal
from services.conversion import domain

COURSE = domain.Course("C1", "Course", Decimal("3.0"), "M")


def rule(**changes) -> domain.Rule:
    base = {
        "id": "r1",
        "credential_code": "CERT",
        "outcome_kind": None,
        "min_hours": None,
        "course_code": "C1",
        "credits": Decimal("3.0"),
        "valid_from": date(2020, 1, 1),
        "valid_until": date(2024, 12, 31),
        "credit_validity_years": None,
        "allow_partial": False,
    }
    return domain.Rule(**{**base, **changes})


def approval(**changes) -> domain.Approval:
    base = {
        "case_id": "case",
        "outcome_id": "o1",
        "learner_id": "l1",
        "kind": "QUALIFICATION_CERTIFICATE",
        "credential_code": "CERT",
        "hours": None,
        "achieved_on": date(2024, 12, 31),
        "decided_at": datetime(2024, 2, 29, tzinfo=UTC),
    }
    return domain.Approval(**{**base, **changes})


def decide(rules, state=None, annual=Decimal("42"), major_cap=None, **changes):
    return domain.decide(
        approval(**changes),
        rules,
        {"C1": COURSE},
        {"M": major_cap},
        annual,
        state or domain.LearnerState(),
    )


def test_the_last_day_of_the_window_still_counts_and_the_next_does_not() -> None:
    [grant] = decide([rule()])
    assert isinstance(grant, domain.Grant) and grant.credits == Decimal("3.0")
    [refused] = decide([rule()], achieved_on=date(2025, 1, 1))
    assert refused == domain.Withheld(
        "C1",
        "r1",
        1,
        domain.RefusalCode.NOT_VALID_ON,
        {"day": "2025-01-01", "validFrom": "2020-01-01", "validUntil": "2024-12-31"},
    )


def test_the_best_valid_rule_wins_for_a_course() -> None:
    rules = [
        rule(id="old", credits=Decimal("3.0"), valid_until=date(2021, 1, 1)),
        rule(id="new", credits=Decimal("2.0")),
    ]
    [grant] = decide(rules)
    assert isinstance(grant, domain.Grant) and grant.rule.id == "new"


def test_a_rule_for_another_credential_or_kind_is_not_reached() -> None:
    assert decide([rule(credential_code="OTHER")]) == []
    assert decide([rule(credential_code=None, outcome_kind="ONLINE_COURSE")]) == []


def test_expiry_counts_years_from_the_decision_even_from_29_february() -> None:
    [grant] = decide([rule(credit_validity_years=3)])
    assert isinstance(grant, domain.Grant) and grant.expires_on == date(2027, 2, 28)


def test_partial_grants_take_the_tighter_cap() -> None:
    state = domain.LearnerState(credits_by_year={2024: Decimal("40.0")})
    results = decide([rule(allow_partial=True)], state=state, major_cap=Decimal("1.0"))
    assert results == [
        domain.Withheld(
            "C1",
            "r1",
            1,
            domain.RefusalCode.PARTIAL,
            {"granted": "1.0", "of": "3.0", "by": "MAJOR_CAP", "major": "M", "cap": "1.0"},
        ),
        domain.Grant(rule(allow_partial=True), COURSE, Decimal("1.0"), None),
    ]


def test_a_program_needs_all_its_courses_or_its_minimum_credits() -> None:
    both = domain.Program("P", "P", ("C1", "C2"), None)
    assert not domain.requirement_met(both, {"C1": Decimal("3.0")})
    assert domain.requirement_met(both, {"C1": Decimal("3.0"), "C2": Decimal("1.0")})
    some = domain.Program("P", "P", ("C1", "C2"), Decimal("3.5"))
    assert not domain.requirement_met(some, {"C1": Decimal("3.0")})
    assert domain.requirement_met(some, {"C1": Decimal("3.0"), "C2": Decimal("0.5")})


@pytest.mark.parametrize("value", ["0", "-0.5", "0.05", "1000", "NaN"])
def test_bad_credits_are_refused(value: str) -> None:
    with pytest.raises(Refusal) as refused:
        domain.check_credits(Decimal(value), "credits")
    assert refused.value.field == "credits"


def test_credits_keep_one_decimal() -> None:
    assert str(domain.check_credits(Decimal("2"), "credits")) == "2.0"
