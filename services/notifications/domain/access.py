"""Who may read and do what in notifications; no I/O.

An inbox is private: only the account itself reads its messages, its unread count
and its preferences, marks its messages read and changes its preferences, whatever
its role (a learner, an institution, a reviewer or an admin alike). Admins do not
read another account's inbox. Anonymous callers read nothing."""

from __future__ import annotations

from cbkit.auth import Principal
from cbkit.errors import Forbidden
from cbkit.i18n import Text

MESSAGES = Text("通知", "the notifications")
UNREAD = Text("未读通知数", "the unread notification count")
PREFERENCES = Text("通知偏好", "the notification preferences")


def owns(viewer: Principal, account_id: str) -> bool:
    return viewer.account_id == account_id


def require_own(viewer: Principal, account_id: str, what: Text, field: str) -> None:
    """Refuse unless `viewer` is the account whose `what` (its notifications, its
    preferences) is asked for: an inbox is private, to admins too."""
    if not owns(viewer, account_id):
        raise Forbidden(
            f"{what('en')} of an account are read only by that account",
            field=field,
            zh=f"{what('zh')}仅限账户本人查看",
        )
