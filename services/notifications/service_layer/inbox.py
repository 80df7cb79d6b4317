"""The inbox: messages made of the events this service hears (each in the
transaction that records the event, so a redelivery adds none), read a page at a
time and marked read by their account only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cbkit.auth import Principal
from cbkit.db import Connection, lock
from cbkit.errors import Refusal
from cbkit.paging import Page, PageRequest
from services.notifications.domain import About, Account, Kind, Message, NewMessage
from services.notifications.domain.messages import with_lot
from services.notifications.repository import accounts, inbox
from services.notifications.service_layer import email
from services.notifications.service_layer.dependencies import Dependencies

MAX_IDS = 100
"""How many messages one markNotificationsRead names at most."""


async def hear_account(conn: Connection, account: Account) -> None:
    """Keep an opened account: its role (who the admins are) and its name."""
    await accounts.remember(conn, account)


async def hear_outcome(conn: Connection, outcome_id: str, learner_id: str, title: str) -> None:
    """Keep a submitted result's title, which the learner's messages about it name."""
    if not await accounts.is_closed(conn, learner_id):
        await accounts.remember_outcome(conn, outcome_id, learner_id, title)


async def tell(
    conn: Connection,
    deps: Dependencies,
    event_id: str,
    account_id: str,
    kind: Kind,
    about: About,
    params: Mapping[str, Any],
) -> Message | None:
    """Write a message of `kind` to the account, made of the event `event_id`; None
    when the account is closed or the event made one for it already."""
    if await accounts.is_closed(conn, account_id):
        return None
    new = NewMessage(account_id, kind, about, params, deps.clock.now(), event_id)
    message = await inbox.add(conn, new)
    if message is not None:
        await email.queue(conn, deps, message)
    return message


async def tell_about_outcome(
    conn: Connection,
    deps: Dependencies,
    event_id: str,
    learner_id: str,
    kind: Kind,
    about: About,
    params: Mapping[str, Any],
) -> Message | None:
    """`tell` the learner of a step of their result, its title named when it was heard."""
    title = await accounts.outcome_title(conn, about.id)
    with_title = {**params, "title": title} if title is not None else params
    return await tell(conn, deps, event_id, learner_id, kind, about, with_title)


async def tell_lot(
    conn: Connection,
    deps: Dependencies,
    event_id: str,
    learner_id: str,
    kind: Kind,
    about: About,
    params: Mapping[str, Any],
) -> Message | None:
    """`tell` the learner of one lot of a redemption (or its reversal): the first lot
    makes the message, each later lot adds its credits to it."""
    await lock(conn, f"notifications:{kind.value}:{about.id}")
    told = await inbox.of_about(conn, learner_id, kind, about)
    if told is None:
        return await tell(conn, deps, event_id, learner_id, kind, about, params)
    await inbox.set_params(conn, told.id, with_lot(told.params, params))
    return None


async def tell_institution(
    conn: Connection,
    deps: Dependencies,
    event_id: str,
    institution_id: str,
    learner_id: str,
    kind: Kind,
    about: About,
    params: Mapping[str, Any],
) -> Message | None:
    """`tell` an institution of a learner's step, naming the learner as they opened
    the account (a closure erases the name from the message again)."""
    learner = await accounts.find(conn, learner_id)
    name = learner.display_name if learner else None
    named = {**params, "learnerId": learner_id} | ({"learnerName": name} if name else {})
    return await tell(conn, deps, event_id, institution_id, kind, about, named)


async def page_of(
    conn: Connection, account_id: str, unread: bool, request: PageRequest
) -> Page[Message]:
    return await inbox.page_of(conn, account_id, unread, request)


async def count(conn: Connection, account_id: str, unread: bool) -> int:
    return await inbox.count(conn, account_id, unread)


async def mark_read(
    conn: Connection,
    deps: Dependencies,
    viewer: Principal,
    ids: Sequence[str] | None,
    everything: bool,
) -> int:
    """Mark the caller's own messages read: those of `ids`, or all with `everything`;
    how many changed (another account's ids, and read ones, change nothing)."""
    if everything == (ids is not None):
        raise Refusal(
            "name the messages to mark read as ids, or pass all: true (not both)",
            field="ids",
            zh="请用 ids 指明要标为已读的通知，或传入 all: true（二者择一）",
        )
    if ids is not None and len(ids) > MAX_IDS:
        raise Refusal(
            f"mark at most {MAX_IDS} messages read at once, not {len(ids)}",
            field="ids",
            zh=f"一次最多标记 {MAX_IDS} 条通知为已读，而不是 {len(ids)} 条",
        )
    return await inbox.mark_read(conn, viewer.account_id, ids, deps.clock.now())
