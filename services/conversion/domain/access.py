"""Who may see and do what in conversion; no I/O.

The catalog (majors, courses, credential types, rules, programmes, caps, previews) is
public to read, signed in or not; only an admin changes it or revokes a conversion.

What a learner was credited (conversions, conversion refusals, certificates) is read
by the learner and by admins, and by an institution only while this service's copy of
the consents holds an active consent of the learner to it: not revoked, not expired
by the clock. Reviewers never read it (a review needs no credits), anonymous callers
read nothing, and whatever path the caller took (a root field, a nested field, an
`_entities` jump) asks the same question here. Once the learner closed the account
(`account.closed`), only admins read the figures kept; anyone else finds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cbkit.auth import Principal, Role
from cbkit.errors import Forbidden, Unauthenticated
from cbkit.i18n import Text

CATALOG_EDITORS = (Role.ADMIN,)
"""Who changes the catalog and the caps."""
REVOKERS = (Role.ADMIN,)
"""Who revokes a conversion."""
CATALOG_HISTORIANS = (Role.ADMIN,)
"""Who reads the catalog's history (what changed, who changed it, when)."""


@dataclass(frozen=True)
class Consent:
    """A learner's consent to an institution (the copy of accounts' record kept here)."""

    id: str
    learner_id: str
    institution_id: str


@dataclass(frozen=True)
class ConsentGrant:
    """A grant (or re-grant) of a consent: grants are ordered by `granted_at`, then by
    `sent_at`, when their event was sent (a re-grant that moves the expiry of an active
    consent keeps its `granted_at`), so that the latest sets the expiry whatever the
    order they arrive in."""

    consent: Consent
    granted_at: datetime
    expires_at: datetime
    sent_at: datetime


@dataclass(frozen=True)
class ConsentTerm:
    """What this service last heard of one consent: its latest grant (None while only
    its revocation arrived) with the expiry that grant set, and its latest revocation."""

    granted_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    def active_at(self, now: datetime) -> bool:
        """Granted, not revoked since, and not yet expired at `now`."""
        if self.granted_at is None or self.expires_at is None:
            return False
        if self.revoked_at is not None and self.revoked_at >= self.granted_at:
            return False
        return self.expires_at > now


def consent_matters(viewer: Principal) -> bool:
    """Whether a learner's consent can change what `viewer` reads, so that consents are
    looked up only then."""
    return viewer.role is Role.INSTITUTION


def may_read_credits(viewer: Principal, learner_id: str | None, consented: bool) -> bool:
    """Whether `viewer` reads what `learner_id` was credited; `consented` tells whether
    the learner has an active consent to the viewer. A learner_id of None is a record
    this service does not hold (an outcome it never heard of, an unknown conversion):
    there is nothing of a learner to hide, but a reviewer still reads no credits."""
    if viewer.role is Role.ADMIN:
        return True
    if viewer.role is Role.REVIEWER:
        return False
    if learner_id is None or viewer.account_id == learner_id:
        return True
    return viewer.role is Role.INSTITUTION and consented


def closure_hides(viewer: Principal) -> bool:
    """Whether a learner's closed account hides the learner's credits from `viewer`:
    from everyone but admins, who keep the bank's figures (by id only)."""
    return viewer.role is not Role.ADMIN


def require_credits_sight(
    viewer: Principal | None,
    learner_id: str | None,
    consented: bool,
    what: Text,
    closed: bool = False,
) -> bool:
    """Refuse unless `viewer` may read `what` (e.g. "the conversions") of the learner.
    True when the caller reads them; False when the learner closed the account and the
    caller is no admin: then there is nothing to read (an empty list, no entity)."""
    if viewer is None:
        raise Unauthenticated(
            f"sign in first: {what('en')} of a learner need a bearer token",
            zh=f"请先登录：查看学习者的{what('zh')}需要 bearer 令牌",
        )
    if closed and closure_hides(viewer):
        return False
    if not may_read_credits(viewer, learner_id, consented):
        raise Forbidden(
            f"you may not read {what('en')} of this learner",
            zh=f"你无权查看该学习者的{what('zh')}",
        )
    return True


CONVERSIONS = Text("换算记录", "the conversions")
REFUSALS = Text("未换算说明", "the conversion refusals")
CERTIFICATES = Text("证书", "the certificates")
TRANSCRIPT = Text("成绩单凭证", "the transcript credential")
CERTIFICATE_CREDENTIALS = Text("证书凭证", "the certificate credentials")
