"""Whose rows an account reads: a learner's own, or those of an institution; the SQL
condition consents and redemptions are narrowed by alike."""

from __future__ import annotations

import uuid

from cbkit.auth import Role

NOBODY = "FALSE"
"""The condition for the accounts that are neither learner nor institution."""


def of_party(role: Role | None, account_id: str, scope: str | None, args: list[object]) -> str:
    """The rows of a learner (by `learner_id`) or an institution (by `institution_id`),
    narrowed to those of the institution `scope`; `NOBODY` for other accounts. The
    values are appended to `args`."""
    if role is Role.LEARNER:
        column = "learner_id"
    elif role is Role.INSTITUTION:
        column = "institution_id"
    else:
        return NOBODY
    args.append(uuid.UUID(account_id))
    condition = f"{column} = ${len(args)}"
    if scope is not None:
        args.append(uuid.UUID(scope))
        condition += f" AND institution_id = ${len(args)}"
    return condition
