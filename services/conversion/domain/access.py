"""Who may see and do what in conversion; no I/O.

The catalog (majors, courses, credential types, rules, programmes, caps) is public to
read, signed in or not; only an admin changes it or revokes a conversion. What a
learner was credited (conversions, refusals, certificates) is seen by the learner, by
an admin, and by an institution under an active consent of the learner.
"""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.auth import Principal, Role
from cbkit.errors import Forbidden

CATALOG_EDITORS = (Role.ADMIN,)
"""Who changes the catalog and the caps."""
REVOKERS = (Role.ADMIN,)
"""Who revokes a conversion."""


@dataclass(frozen=True)
class Consent:
    """A learner's consent to an institution (the copy of accounts' record kept here)."""

    id: str
    learner_id: str
    institution_id: str


def consent_decides(viewer: Principal, learner_id: str) -> bool:
    """Whether an active consent of the learner is what would let `viewer` see their credits."""
    return viewer.role is Role.INSTITUTION and viewer.account_id != learner_id


def may_see_credits(viewer: Principal, learner_id: str, consented: bool) -> bool:
    """The learner, an admin, or an institution the learner consented to."""
    if viewer.role is Role.ADMIN or viewer.account_id == learner_id:
        return True
    return viewer.role is Role.INSTITUTION and consented


def require_sight_of_credits(viewer: Principal, learner_id: str, consented: bool) -> None:
    if not may_see_credits(viewer, learner_id, consented):
        raise Forbidden("only the learner, an admin or an institution with consent may see this")
