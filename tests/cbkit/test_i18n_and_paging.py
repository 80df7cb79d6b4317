"""The language a client asks for, and cursors that page a list and nothing else."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cbkit.errors import NotFound, Refusal
from cbkit.i18n import Text, negotiate
from cbkit.paging import cursor, keyset, page, page_request, read_cursor


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("zh-CN", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR, zh-Hans;q=0.5", "zh"),
        ("zh;q=0.2, en;q=0.7", "en"),
        ("zh;q=0", "en"),
        ("de", "en"),
        ("zh;q=abc", "en"),
    ],
)
def test_the_language_follows_accept_language(header, language):
    assert negotiate(header) == language


def test_a_refusal_reads_in_the_asked_language_and_keeps_its_code():
    refusal = NotFound("no such result", field="id", zh="没有这个成果")
    assert refusal.text("zh") == "没有这个成果"
    assert refusal.text("en") == "no such result"
    assert (refusal.code, refusal.field) == ("NOT_FOUND", "id")
    assert Refusal("only English").text("zh") == "only English"


def test_a_bilingual_text_falls_back_to_the_other_language():
    assert Text("学前教育", "Preschool Education")("zh") == "学前教育"
    assert Text(None, "Preschool Education")("zh") == "Preschool Education"
    assert Text("学前教育", None)("en") == "学前教育"


def test_a_cursor_holds_its_sort_key_and_belongs_to_its_list():
    key = (datetime(2026, 12, 1, 8, tzinfo=UTC), uuid.uuid4(), date(2026, 1, 2), Decimal("2.5"), 7)
    text = cursor("outcomes", key)
    assert read_cursor("outcomes", text) == key
    with pytest.raises(Refusal) as refused:
        read_cursor("reviewQueue", text)
    assert refused.value.field == "after"
    for forged in ("", "not base64!", "e30", text[:-3], "x" * 5000):
        with pytest.raises(Refusal):
            read_cursor("outcomes", forged)


def test_first_is_bounded():
    assert page_request("l", None, None).first == 20
    for bad in (-1, 101):
        with pytest.raises(Refusal) as refused:
            page_request("l", bad, None)
        assert refused.value.field == "first"


def test_a_page_continues_after_its_last_row_without_offset():
    request = page_request("l", 2, None)
    args: list[object] = ["learner"]
    assert keyset(request, ("a", "id"), args) == "TRUE"
    first = page(request, [(1, "x"), (2, "y"), (3, "z")], key=lambda row: row)
    assert first.items == [(1, "x"), (2, "y")] and first.has_next
    following = page_request("l", 2, first.cursors[-1])
    assert keyset(following, ("a", "id"), args, descending=True) == "(a, id) < ($2, $3)"
    assert args == ["learner", 2, "y"]
    last = page(following, [(3, "z")], key=lambda row: row)
    assert last.items == [(3, "z")] and not last.has_next
