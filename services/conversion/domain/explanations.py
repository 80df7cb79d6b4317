"""Why a certified result converts as it does, in both languages; no I/O.

A result that gains nothing (or less) for a course is kept as a refusal: a stable
`RefusalCode` with its parameters (codes, numbers, days; never a learner's own text),
rendered in the request's language when it is read. A granted conversion explains
itself from the catalog's names and the rule version it was granted under.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from cbkit.i18n import Language, Text


class RefusalCode(Enum):
    """Why a certified result gave nothing (or less) for a course; codes never change."""

    NO_RULE = "NO_RULE"
    BELOW_MIN_HOURS = "BELOW_MIN_HOURS"
    NOT_VALID_ON = "NOT_VALID_ON"
    RETIRED = "RETIRED"
    ALREADY_CREDITED = "ALREADY_CREDITED"
    ANNUAL_CAP = "ANNUAL_CAP"
    MAJOR_CAP = "MAJOR_CAP"
    PARTIAL = "PARTIAL"
    OTHER = "OTHER"
    """A reason recorded before codes existed whose words match none of the above."""


KIND_PLURAL = {
    "QUALIFICATION_CERTIFICATE": Text("资格证书", "qualification certificates"),
    "VOCATIONAL_TRAINING": Text("职业培训", "vocational training"),
    "ONLINE_COURSE": Text("在线课程", "online courses"),
    "ACADEMIC_COURSE": Text("学历课程", "academic courses"),
    "WORK_EXPERIENCE": Text("工作经历", "work experience"),
    "OTHER": Text("其他学习成果", "other learning outcomes"),
}
"""An outcome kind as a rule for all results of that kind names them."""
KIND_SINGULAR = {
    "QUALIFICATION_CERTIFICATE": Text("资格证书", "qualification certificate"),
    "VOCATIONAL_TRAINING": Text("职业培训", "vocational training"),
    "ONLINE_COURSE": Text("在线课程", "online course"),
    "ACADEMIC_COURSE": Text("学历课程", "academic course"),
    "WORK_EXPERIENCE": Text("工作经历", "work experience"),
    "OTHER": Text("学习成果", "learning outcome"),
}
"""An outcome kind as one result of that kind is called."""
RETIRED_WHAT = {
    "rule": Text("换算规则", "the rule"),
    "course": Text("课程", "the course"),
    "credential": Text("证书类型", "the credential type"),
}


def kind_plural(kind: str, language: Language) -> str:
    return KIND_PLURAL.get(kind, Text(kind, kind))(language)


def kind_singular(kind: str, language: Language) -> str:
    return KIND_SINGULAR.get(kind, Text(kind, kind))(language)


def no_rule(credential_code: str | None, kind: str) -> dict[str, Any]:
    """NO_RULE's parameters: the credential no rule converts, or the kind without one."""
    return {"credential": credential_code} if credential_code else {"kind": kind}


def below_min_hours(kind: str, hours: int, min_hours: int) -> dict[str, Any]:
    return {"kind": kind, "hours": hours, "minHours": min_hours}


def not_valid_on(day: str, valid_from: str, valid_until: str | None) -> dict[str, Any]:
    return {"day": day, "validFrom": valid_from, "validUntil": valid_until}


def retired(what: str, code: str, retired_from: str) -> dict[str, Any]:
    """RETIRED's parameters: `what` is "rule", "course" or "credential"."""
    return {"what": what, "code": code, "retiredFrom": retired_from}


def already_credited(course_code: str) -> dict[str, Any]:
    return {"course": course_code}


def annual_cap(cap: Decimal, year: int) -> dict[str, Any]:
    return {"cap": str(cap), "year": year}


def major_cap(major_code: str, cap: Decimal) -> dict[str, Any]:
    return {"major": major_code, "cap": str(cap)}


def partial(
    granted: Decimal, of: Decimal, cap: RefusalCode, cap_params: Mapping[str, Any]
) -> dict[str, Any]:
    """PARTIAL's parameters: what was granted of what the rule gives, and which cap
    held back the rest (`by`: ANNUAL_CAP or MAJOR_CAP, with that cap's parameters)."""
    return {"granted": str(granted), "of": str(of), "by": cap.value, **cap_params}


Renderer = Callable[[Mapping[str, Any], Language], str | None]


def _no_rule(p: Mapping[str, Any], language: Language) -> str | None:
    if p.get("credential"):
        return Text(
            f"没有适用于证书 {p['credential']} 的换算规则",
            f"no rule for credential {p['credential']}",
        )(language)
    if p.get("kind"):
        return Text(
            f"没有适用于{kind_plural(p['kind'], 'zh')}的换算规则",
            f"no rule for {kind_plural(p['kind'], 'en')}",
        )(language)
    return None


def _below_min_hours(p: Mapping[str, Any], language: Language) -> str | None:
    if "hours" not in p or "minHours" not in p:
        return None
    kind = p.get("kind", "OTHER")
    return Text(
        f"{kind_singular(kind, 'zh')} {p['hours']} 学时；规则要求至少 {p['minHours']} 学时",
        f"{kind_singular(kind, 'en')} of {p['hours']} h; rules need {p['minHours']} h",
    )(language)


def _not_valid_on(p: Mapping[str, Any], language: Language) -> str | None:
    if "day" not in p or "validFrom" not in p:
        return None
    if p.get("validUntil"):
        window = Text(
            f"有效期 {p['validFrom']} 至 {p['validUntil']}",
            f"valid {p['validFrom']} to {p['validUntil']}",
        )
    else:
        window = Text(f"自 {p['validFrom']} 起有效", f"valid from {p['validFrom']}")
    return Text(
        f"规则不适用于 {p['day']} 取得的成果（{window('zh')}）",
        f"rule not valid on {p['day']} ({window('en')})",
    )(language)


def _retired(p: Mapping[str, Any], language: Language) -> str | None:
    if "retiredFrom" not in p:
        return None
    what = RETIRED_WHAT.get(p.get("what", "rule"), RETIRED_WHAT["rule"])
    code = f" {p['code']}" if p.get("code") and p.get("what") != "rule" else ""
    return Text(
        f"{what('zh')}{code + ' ' if code else ''}自 {p['retiredFrom']} 起已停用",
        f"{what('en')}{code} is retired from {p['retiredFrom']}",
    )(language)


def _already_credited(p: Mapping[str, Any], language: Language) -> str | None:
    return GENERIC[RefusalCode.ALREADY_CREDITED](language)


def _cap_text(p: Mapping[str, Any], cap: str) -> Text | None:
    if cap == RefusalCode.ANNUAL_CAP.value and "cap" in p and "year" in p:
        return Text(
            f"{p['year']} 年度上限 {p['cap']} 学分",
            f"annual cap of {p['cap']} credits for {p['year']}",
        )
    if cap == RefusalCode.MAJOR_CAP.value and "cap" in p and "major" in p:
        return Text(
            f"专业 {p['major']} 的证书学分上限 {p['cap']} 学分",
            f"major cap of {p['cap']} credits for {p['major']}",
        )
    return None


def _annual_cap(p: Mapping[str, Any], language: Language) -> str | None:
    cap = _cap_text(p, RefusalCode.ANNUAL_CAP.value)
    return None if cap is None else Text(f"已达到{cap('zh')}", f"{cap('en')} reached")(language)


def _major_cap(p: Mapping[str, Any], language: Language) -> str | None:
    cap = _cap_text(p, RefusalCode.MAJOR_CAP.value)
    return None if cap is None else Text(f"已达到{cap('zh')}", f"{cap('en')} reached")(language)


def _partial(p: Mapping[str, Any], language: Language) -> str | None:
    if "granted" not in p or "of" not in p:
        return None
    cap = _cap_text(p, str(p.get("by")))
    zh_cap = f"（已达到{cap('zh')}）" if cap else ""
    en_cap = f" ({cap('en')} reached)" if cap else ""
    return Text(
        f"仅换算 {p['of']} 学分中的 {p['granted']} 学分{zh_cap}",
        f"granted {p['granted']} of {p['of']} credits{en_cap}",
    )(language)


RENDERERS: dict[RefusalCode, Renderer] = {
    RefusalCode.NO_RULE: _no_rule,
    RefusalCode.BELOW_MIN_HOURS: _below_min_hours,
    RefusalCode.NOT_VALID_ON: _not_valid_on,
    RefusalCode.RETIRED: _retired,
    RefusalCode.ALREADY_CREDITED: _already_credited,
    RefusalCode.ANNUAL_CAP: _annual_cap,
    RefusalCode.MAJOR_CAP: _major_cap,
    RefusalCode.PARTIAL: _partial,
}
GENERIC = {
    RefusalCode.NO_RULE: Text("没有适用的换算规则", "no rule applies"),
    RefusalCode.BELOW_MIN_HOURS: Text("学时不足规则的要求", "fewer hours than the rule needs"),
    RefusalCode.NOT_VALID_ON: Text(
        "规则不适用于成果取得之日", "rule not valid on the day of the result"
    ),
    RefusalCode.RETIRED: Text("已停用", "retired"),
    RefusalCode.ALREADY_CREDITED: Text("该课程已经换算过学分", "course already credited"),
    RefusalCode.ANNUAL_CAP: Text("已达到年度学分上限", "annual cap reached"),
    RefusalCode.MAJOR_CAP: Text("已达到专业的证书学分上限", "major cap reached"),
    RefusalCode.PARTIAL: Text("因学分上限仅部分换算", "partly granted under a cap"),
    RefusalCode.OTHER: Text("未换算", "not converted"),
}
"""What a refusal says when its parameters are gone (a closed account's, an old row's)."""


def render_refusal(code: RefusalCode, params: Mapping[str, Any], language: Language) -> str:
    """The refusal in `language`. A reason kept before codes existed (`params["text"]`,
    English) is shown as it was where the code has no parameters to render."""
    renderer = RENDERERS.get(code)
    text = renderer(params, language) if renderer else None
    if text is not None:
        return text
    if isinstance(params.get("text"), str) and params["text"]:
        return params["text"] if language == "en" else _legacy(code, params)
    return GENERIC[code](language)


def _legacy(code: RefusalCode, params: Mapping[str, Any]) -> str:
    """An old English reason for a Chinese reader: the generic Chinese sentence of its
    code, with the English words kept after it."""
    return f"{GENERIC[code]('zh')}（{params['text']}）"


def refusal_texts(code: RefusalCode, params: Mapping[str, Any]) -> Text:
    """The refusal in both languages (for an export)."""
    return Text(render_refusal(code, params, "zh"), render_refusal(code, params, "en"))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def explain_grant(
    source: Text, course: Text, credits: Decimal, version: int, language: Language
) -> str:
    """Why a conversion holds: `source` (the credential's name, or the kind of result a
    rule converts) converts to `course` for `credits` under rule version `version`."""
    return Text(
        f"{source('zh')} 按规则第 {version} 版换算为 {course('zh')} {credits} 学分",
        _sentence(f"{source('en')} converts to {course('en')}: {credits} credits")
        + f" by rule version {version}",
    )(language)


def kind_source(kind: str) -> Text:
    """What a rule without a credential converts, as an explanation names it."""
    return KIND_SINGULAR.get(kind, Text(kind, kind))
