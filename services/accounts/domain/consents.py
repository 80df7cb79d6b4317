"""Consents: a learner lets an institution read their account and redeem their
credits until a date at most a year ahead, and can take it back at once; no I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from cbkit.auth import Role
from cbkit.errors import Refusal


@dataclass(frozen=True)
class Consent:
    id: str
    learner_id: str
    institution_id: str
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    def active_at(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


def one_year_after(instant: datetime) -> datetime:
    try:
        return instant.replace(year=instant.year + 1)
    except ValueError:  # 29 February
        return instant.replace(year=instant.year + 1, day=28)


def check_expiry(expires_at: datetime, now: datetime) -> datetime:
    """The expiry as a UTC instant (one without a zone is read as UTC), if acceptable."""
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    expires_at = expires_at.astimezone(UTC)
    if expires_at <= now:
        raise Refusal(
            "expiresAt must be in the future", field="expiresAt", zh="expiresAt 必须是将来的时间"
        )
    if expires_at > one_year_after(now):
        raise Refusal(
            "expiresAt must be at most one year ahead",
            field="expiresAt",
            zh="expiresAt 最多只能是一年以后",
        )
    return expires_at


def check_institution(role: Role | None) -> None:
    if role is not Role.INSTITUTION:
        raise Refusal(
            "institutionId must name an institution's account",
            field="institutionId",
            zh="institutionId 必须是一个机构的账户",
        )


def grant(
    learner_id: str,
    institution_id: str,
    expires_at: datetime,
    now: datetime,
    current: Consent | None,
) -> Consent:
    """The consent after a grant: granting again while a consent is active moves its expiry."""
    expires_at = check_expiry(expires_at, now)
    if current is not None and current.active_at(now):
        return Consent(current.id, learner_id, institution_id, current.granted_at, expires_at, None)
    return Consent(str(uuid.uuid4()), learner_id, institution_id, now, expires_at)


def revoke(consent: Consent, now: datetime) -> Consent:
    return replace(consent, revoked_at=now)
