"""What a message says: its kinds, what each is about, and the templates that render
its title and body in either language at read time (so the inbox follows the
request's language and an e-mail the account's preferred one). Pure: no I/O."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from cbkit.i18n import Language, Text


class Kind(Enum):
    """What happened, as the account it is told to reads it."""

    CERTIFIED = "CERTIFIED"
    REJECTED = "REJECTED"
    INFO_REQUESTED = "INFO_REQUESTED"
    CREDITS_CONVERTED = "CREDITS_CONVERTED"
    CREDITS_REVOKED = "CREDITS_REVOKED"
    CERTIFICATE_AWARDED = "CERTIFICATE_AWARDED"
    CREDITS_REDEEMED = "CREDITS_REDEEMED"
    REDEMPTION_REVERSED = "REDEMPTION_REVERSED"
    CREDITS_EXPIRED = "CREDITS_EXPIRED"
    CREDITS_EXPIRING = "CREDITS_EXPIRING"
    CONSENT_GRANTED = "CONSENT_GRANTED"
    CONSENT_REVOKED = "CONSENT_REVOKED"
    CASE_DUE_SOON = "CASE_DUE_SOON"
    CASE_OVERDUE = "CASE_OVERDUE"
    WEBHOOK_DISABLED = "WEBHOOK_DISABLED"


class AboutType(Enum):
    """The kind of thing a message links to; the value is its GraphQL type's name."""

    OUTCOME = "Outcome"
    CASE = "Certification"
    CONVERSION = "Conversion"
    CERTIFICATE = "Certificate"
    REDEMPTION = "Redemption"
    CONSENT = "Consent"
    WEBHOOK_ENDPOINT = "WebhookEndpoint"


@dataclass(frozen=True)
class About:
    type: AboutType
    id: str


@dataclass(frozen=True)
class Template:
    """A kind's title and body, `{name}` standing for its params; each of `extras` is
    appended to the body when its param is there (a reason, an expiry day)."""

    title: Text
    body: Text
    extras: Mapping[str, Text] = field(default_factory=dict)


def _t(zh: str, en: str) -> Text:
    return Text(zh, en)


_REASON = {"reason": _t("理由：{reason}", "Reason: {reason}")}
_CASE = {
    "result": _t("学习成果：“{result}”。", "Result: “{result}”."),
    "unclaimed": _t("尚无审核人认领。", "No reviewer has claimed it."),
}
"""A reviewer's or admin's message about a case names its result, and says when nobody
holds it (then every admin is told)."""

TEMPLATES: Mapping[Kind, Template] = {
    Kind.CERTIFIED: Template(
        _t("学习成果已认证", "Result certified"),
        _t("“{title}”已通过认证。", "“{title}” was certified."),
        {"credentialCode": _t("认定资格：{credentialCode}。", "Credential: {credentialCode}.")},
    ),
    Kind.REJECTED: Template(
        _t("学习成果未通过认证", "Result not certified"),
        _t("“{title}”未通过认证。", "“{title}” was not certified."),
        _REASON,
    ),
    Kind.INFO_REQUESTED: Template(
        _t("审核人需要更多信息", "The reviewer needs more information"),
        _t("请补充“{title}”的材料后重新提交。", "Please add to “{title}” and resubmit it."),
        _REASON,
    ),
    Kind.CREDITS_CONVERTED: Template(
        _t("学分已换算", "Credits converted"),
        _t("课程 {courseCode} 获得 {credits} 学分。", "{credits} credits for course {courseCode}."),
        {"expiresOn": _t("有效期至 {expiresOn}。", "Valid until {expiresOn}.")},
    ),
    Kind.CREDITS_REVOKED: Template(
        _t("学分已撤销", "Credits revoked"),
        _t(
            "课程 {courseCode} 的 {credits} 学分已被撤销。",
            "{credits} credits for course {courseCode} were revoked.",
        ),
        _REASON,
    ),
    Kind.CERTIFICATE_AWARDED: Template(
        _t("已获得证书", "Certificate awarded"),
        _t(
            "你已获得项目 {programCode} 的证书（编号 {serial}）。",
            "You were awarded the certificate of programme {programCode} (serial {serial}).",
        ),
    ),
    Kind.CREDITS_REDEEMED: Template(
        _t("学分已兑换", "Credits redeemed"),
        _t(
            "课程 {courseCode} 的 {credits} 学分已被兑换。",
            "{credits} credits for course {courseCode} were redeemed.",
        ),
    ),
    Kind.REDEMPTION_REVERSED: Template(
        _t("学分兑换已撤回", "Redemption reversed"),
        _t(
            "课程 {courseCode} 的 {credits} 学分兑换已撤回，学分恢复可用。",
            "The redemption of {credits} credits for course {courseCode} was reversed;"
            " the credits are yours to use again.",
        ),
        _REASON,
    ),
    Kind.CREDITS_EXPIRED: Template(
        _t("学分已过期", "Credits expired"),
        _t(
            "课程 {courseCode} 的 {credits} 学分已于 {expiresOn} 过期。",
            "{credits} credits for course {courseCode} expired on {expiresOn}.",
        ),
    ),
    Kind.CREDITS_EXPIRING: Template(
        _t("学分即将过期", "Credits expiring soon"),
        _t(
            "课程 {courseCode} 的 {credits} 学分将于 {expiresOn} 过期。",
            "{credits} credits for course {courseCode} expire on {expiresOn}.",
        ),
    ),
    Kind.CONSENT_GRANTED: Template(
        _t("学习者已授权", "A learner consented"),
        _t(
            "{learnerName} 授权你查看其学分，至 {expiresOn}。",
            "{learnerName} lets you read their credits until {expiresOn}.",
        ),
    ),
    Kind.CONSENT_REVOKED: Template(
        _t("学习者已撤回授权", "A learner revoked consent"),
        _t(
            "{learnerName} 撤回了对你的授权。",
            "{learnerName} revoked their consent to you.",
        ),
    ),
    Kind.CASE_DUE_SOON: Template(
        _t("审核即将到期", "A case is due soon"),
        _t(
            "一个认证案件将于 {dueOn} 到期，还剩 {daysLeft} 个工作日。",
            "A certification case is due on {dueOn}; working days left: {daysLeft}.",
        ),
        _CASE,
    ),
    Kind.CASE_OVERDUE: Template(
        _t("审核已逾期", "A case is overdue"),
        _t(
            "一个认证案件已于 {dueOn} 到期，尚未决定。",
            "A certification case was due on {dueOn} and is not decided yet.",
        ),
        _CASE,
    ),
    Kind.WEBHOOK_DISABLED: Template(
        _t("Webhook 端点已停用", "Webhook endpoint disabled"),
        _t(
            "端点 {url} 多次投递失败，已停用。",
            "The endpoint {url} failed too often and was disabled.",
        ),
    ),
}

FALLBACKS: Mapping[str, Text] = {
    "title": _t("你的学习成果", "your result"),
    "learnerName": _t("一位学习者", "A learner"),
    "courseCode": _t("—", "—"),
    "credits": _t("—", "—"),
}
"""What a message says where a param is unknown (a result whose title never arrived)."""


class _Params(dict[str, str]):
    """Params for `str.format_map`: a missing one reads as its fallback (or a dash)."""

    def __init__(self, params: Mapping[str, Any], language: Language) -> None:
        super().__init__({k: str(v) for k, v in params.items() if v is not None})
        self._language = language

    def __missing__(self, key: str) -> str:
        fallback = FALLBACKS.get(key)
        return fallback(self._language) if fallback else "—"


def _format(template: str, params: _Params) -> str:
    return string.Formatter().vformat(template, (), params)


def render(kind: Kind, params: Mapping[str, Any], language: Language) -> tuple[str, str]:
    """The title and body of a message of `kind` with `params`, in `language`."""
    template = TEMPLATES[kind]
    values = _Params(params, language)
    body = [_format(template.body(language), values)]
    body += [
        _format(extra(language), values)
        for name, extra in template.extras.items()
        if params.get(name) is not None
    ]
    joiner = "" if language == "zh" else " "
    return _format(template.title(language), values), joiner.join(body)


LOT_KINDS = frozenset({Kind.CREDITS_REDEEMED, Kind.REDEMPTION_REVERSED})
"""Kinds whose event comes once per lot of credits (a redemption takes credits from
several conversions): the lots of one redemption make one message."""


def with_lot(params: Mapping[str, Any], lot: Mapping[str, Any]) -> dict[str, Any]:
    """A lot message's params with one more lot: its credits added (decimal strings)."""
    total = Decimal(str(params.get("credits") or "0")) + Decimal(str(lot.get("credits") or "0"))
    return {**params, "credits": str(total)}


@dataclass(frozen=True)
class NewMessage:
    """A message to write: to `account_id`, made of the event `event_id`."""

    account_id: str
    kind: Kind
    about: About
    params: Mapping[str, Any]
    created_at: datetime
    event_id: str


@dataclass(frozen=True)
class Message:
    """A message as kept: `read_at` is None while unread; `position` orders the live stream."""

    id: str
    position: int
    account_id: str
    kind: Kind
    about_type: AboutType
    about_id: str
    params: Mapping[str, Any]
    created_at: datetime
    read_at: datetime | None

    @property
    def about(self) -> About:
        return About(self.about_type, self.about_id)

    def rendered(self, language: Language) -> tuple[str, str]:
        return render(self.kind, self.params, language)
