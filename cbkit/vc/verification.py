"""Checking a verifiable credential someone hands us, with the verdict Digital Bazaar's
`@digitalbazaar/vc` 7.3 gives on the same document (tests/credentials/test_verdicts.py
runs both): `check(document, keys=..., status=..., now=...)`.

What it checks, in the library's terms:

- the credential's shape (`_checkCredential`): the W3C credentials v2 context first,
  `VerifiableCredential` among its types, a `credentialSubject` that is a non-empty
  object, one issuer with an id that is a URI, `proof`, `credentialStatus`, `evidence`
  and `termsOfUse` objects with a `type`; `validFrom` and `validUntil` dates, and now
  within them, give or take the library's 300 seconds of clock skew;
- its proofs: those whose purpose is `assertionMethod`, type `DataIntegrityProof` and
  cryptosuite `eddsa-rdfc-2022` are checked (others are ignored; none left fails), and
  the credential holds when one of them does: its verification method is one of the
  issuer's `keys`, the signature holds over the canonical document (an undefined term
  fails, as JSON-LD safe mode does), and the issuer is the key's controller (the DID
  the method id starts with);
- its status: each `BitstringStatusListEntry` asked of `status`, which answers whether
  the bit is set, or None when it cannot read that list (then nobody can: not verified,
  as the library fails on a list it cannot load); a set bit is a revoked credential.

Every reason is a `cbkit.i18n.Text` in both languages. A document that is not JSON-LD
at all (not an object, a proof that is not an object, megabytes of it) is a verdict with
a reason, never an exception; documents over `MAX_BYTES` of JSON are refused unread,
since canonicalizing costs about a second per 400 KB. The canonicalization runs in a
thread, at most `WORKERS` at once, off the event loop.

Known difference: a VC Data Model 1.1 credential (credentials v1 context) is not
verified here (its context is not shipped), where the library may verify it.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import inspect
import re
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld  # type: ignore[import-untyped]

from cbkit.i18n import Text
from cbkit.vc.keys import multibase_decode
from cbkit.vc.loader import CREDENTIALS_V2
from cbkit.vc.proof import (
    CRYPTOSUITE,
    PROOF_PURPOSE,
    PROOF_TYPE,
    UnknownTermError,
    UnsupportedTextError,
    digest,
    signed_data,
)

MAX_BYTES = 1_000_000
"""The largest credential checked, as compact UTF-8 JSON (1 MB: a CLR transcript of 200
achievements is about 400 KB)."""
MAX_DEPTH = 32
"""The deepest nesting of objects and arrays checked (a transcript nests 10)."""
WORKERS = 2
"""Verifications under way at once, in threads of their own: more wait their turn there,
and never take the threads signing (asyncio.to_thread) uses. Their canonicalizations
take turns with every other (cbkit.vc.proof: pyld's caches are not thread-safe)."""
_WORKERS = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="vc-verify")
CLOCK_SKEW = timedelta(seconds=300)
"""What `@digitalbazaar/vc` allows between clocks when it compares validFrom and
validUntil with now."""
STATUS_ENTRY = "BitstringStatusListEntry"
_CHECKED_ONCE = ("proof", "credentialStatus", "termsOfUse", "evidence")
# @digitalbazaar/vc's XML Schema dateTime test, unanchored as the library runs it.
_DATE_TIME = re.compile(
    r"-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](.[0-9]+)?|(24:00:00(.0+)?))"
    r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
)
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?"
)
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_INDEX = re.compile(r"\s*([+-]?\d+)")


class StatusCheck(enum.Enum):
    ACTIVE = "ACTIVE"
    """Every status entry was read and no bit is set."""
    REVOKED = "REVOKED"
    """A status bit is set: the issuer revoked the credential."""
    NONE = "NONE"
    """The credential has no credentialStatus: nothing to check."""
    UNCHECKED = "UNCHECKED"
    """A status the verifier could not read (an unknown list, an unknown entry type)."""


@dataclass(frozen=True)
class StatusEntry:
    """One BitstringStatusListEntry: the list credential's URL, the bit, its purpose."""

    list_url: str
    index: int
    purpose: str


StatusReader = Callable[[StatusEntry], bool | Awaitable[bool | None] | None]
"""Whether the entry's bit is set; None when the list is not one the reader knows.
May raise IndexError for an index outside the list."""


@dataclass(frozen=True)
class Verification:
    verified: bool
    """What a verifier should conclude: the proof holds, the issuer is the key's
    controller, now is within validity and no status bit is set or unread."""
    proof_valid: bool
    """A proof holds for one of the issuer's keys and names the issuer as its controller."""
    issuer: str | None
    issuer_name: str | None
    issued_by_us: bool
    """The proof holds with one of the given keys (ours), for the issuer it names."""
    status: StatusCheck
    valid_from: datetime | None
    valid_until: datetime | None
    types: tuple[str, ...]
    errors: tuple[Text, ...]


def _values(value: Any) -> list[Any]:
    """jsonld.getValues: a list as it is, nothing as [], one value as [value]."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _truthy(value: Any) -> bool:
    """JavaScript's truthiness, which the library's `if (credential.x)` tests use."""
    return not (value is None or value is False or value == "" or value == 0)


def _is_uri(value: Any) -> bool:
    return isinstance(value, str) and _URI.fullmatch(value) is not None


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, (dict, list)):
            if depth >= limit:
                return True
            stack.extend((child, depth + 1) for child in children)
    return False


def _date(value: Any) -> datetime | None:
    """An instant as JavaScript's `new Date(text)` reads an ISO date-time (the library's
    reading): fractions cut to what is kept, 24:00:00 the next midnight, a day past the
    month's end rolling into the next month, no offset read as UTC (its server's zone);
    None when it is not one."""
    if not isinstance(value, str) or not _DATE_TIME.search(value):
        return None
    found = _ISO.fullmatch(value)
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(found.group(n) or 0) for n in range(1, 7))
    fraction = (found.group(7) or "")[:6].ljust(6, "0")
    zone = found.group(8)
    if hour == 24 and (minute or second or int(fraction)):
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 24 and minute < 60 and second < 60):
        return None
    offset = timedelta(0)
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    try:
        start = datetime(year, month, 1, tzinfo=UTC)
    except ValueError:
        return None
    elapsed = timedelta(days=day - 1, hours=hour, minutes=minute, seconds=second)
    return start + elapsed + timedelta(microseconds=int(fraction)) - offset


def _shape(document: dict[str, Any], now: datetime) -> list[Text]:
    """The library's `_checkCredential` for a VC Data Model 2.0 credential."""
    errors: list[Text] = []
    if _values(document.get("@context"))[:1] != [CREDENTIALS_V2]:
        errors.append(
            Text(
                zh=f"@context 的第一项必须是 {CREDENTIALS_V2}（VC 数据模型 2.0）",
                en=f"the first @context must be {CREDENTIALS_V2} (VC Data Model 2.0)",
            )
        )
    if "VerifiableCredential" not in _values(document.get("type")):
        errors.append(
            Text(
                zh="type 必须包含 VerifiableCredential",
                en="type must include VerifiableCredential",
            )
        )
    subjects = _values(document.get("credentialSubject"))
    if not _truthy(document.get("credentialSubject")) or not all(
        isinstance(s, dict) and s for s in subjects
    ):
        errors.append(
            Text(
                zh="credentialSubject 必须是非空对象",
                en="credentialSubject must be an object that makes a claim",
            )
        )
    elif any(s.get("id") and not _is_uri(s["id"]) for s in subjects):
        errors.append(
            Text(zh="credentialSubject.id 必须是 URI", en="credentialSubject.id must be a URI")
        )
    errors.extend(_issuer_shape(document.get("issuer")))
    for name in ("validUntil", "validFrom"):
        value = document.get(name)
        if value and _date(value) is None:
            errors.append(
                Text(zh=f"{name} 不是有效的日期时间", en=f"{name} is not a valid date-time")
            )
    valid_until, valid_from = _date(document.get("validUntil")), _date(document.get("validFrom"))
    if valid_until is not None and now - valid_until >= CLOCK_SKEW:
        errors.append(
            Text(
                zh=f"凭证已于 {document['validUntil']} 失效（validUntil）",
                en=f"the credential expired at {document['validUntil']} (validUntil)",
            )
        )
    if valid_from is not None and valid_from - now >= CLOCK_SKEW:
        errors.append(
            Text(
                zh=f"凭证自 {document['validFrom']} 起才生效（validFrom）",
                en=f"the credential is not valid before {document['validFrom']} (validFrom)",
            )
        )
    for name in _CHECKED_ONCE:
        value = document.get(name)
        if name in document and not all(
            isinstance(v, dict) and v and "type" in v
            for v in (value if isinstance(value, list) else [value])
        ):
            errors.append(
                Text(
                    zh=f"{name} 必须是带 type 的对象",
                    en=f"{name} must be an object with a type",
                )
            )
    for entry in _values(document.get("credentialStatus")):
        if isinstance(entry, dict) and "id" in entry and not _is_uri(entry["id"]):
            errors.append(
                Text(zh="credentialStatus.id 必须是 URI", en="credentialStatus.id must be a URI")
            )
    return errors


def _issuer_shape(issuer: Any) -> list[Text]:
    if not _truthy(issuer):
        return [Text(zh="缺少 issuer（签发者）", en="the credential names no issuer")]
    if isinstance(issuer, list):
        return [Text(zh="issuer 只能有一个，且不是数组", en="issuer is one value, not an array")]
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not _is_uri(issuer_id):
        return [Text(zh="issuer 的 id 必须是 URI", en="the issuer's id must be a URI")]
    return []


def _issuer(document: dict[str, Any]) -> tuple[str | None, str | None]:
    first = (_values(document.get("issuer")) or [None])[0]
    if isinstance(first, str):
        return first, None
    if isinstance(first, dict):
        issuer_id, name = first.get("id"), first.get("name")
        return (
            issuer_id if isinstance(issuer_id, str) else None,
            name if isinstance(name, str) else None,
        )
    return None, None


@dataclass(frozen=True)
class _ProofOutcome:
    holds: bool
    errors: tuple[Text, ...]


def _proofs(
    document: dict[str, Any], keys: Mapping[str, Ed25519PublicKey], issuer: str | None
) -> _ProofOutcome:
    """Whether one of the document's matching proofs holds (blocking: run in a thread)."""
    proofs = _values(document.get("proof"))
    if not proofs:
        return _ProofOutcome(
            False, (Text(zh="凭证没有证明（proof）", en="the credential has no proof"),)
        )
    matching = [
        p
        for p in proofs
        if isinstance(p, dict)
        and p.get("proofPurpose") == PROOF_PURPOSE
        and p.get("type") == PROOF_TYPE
        and p.get("cryptosuite") == CRYPTOSUITE
    ]
    if not matching:
        return _ProofOutcome(
            False,
            (
                Text(
                    zh=f"没有可检查的证明：须为 {PROOF_TYPE}、密码套件 {CRYPTOSUITE}、"
                    f"用途 {PROOF_PURPOSE}",
                    en=f"no proof this verifier can check: it takes a {PROOF_TYPE} with"
                    f" cryptosuite {CRYPTOSUITE} for {PROOF_PURPOSE}",
                ),
            ),
        )
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    document_digest: bytes | None = None
    errors: list[Text] = []
    for proof in matching:
        method = proof.get("verificationMethod")
        method = method.get("id") if isinstance(method, dict) else method
        key = keys.get(method) if isinstance(method, str) else None
        if key is None:
            errors.append(
                Text(
                    zh=f"证明所用的密钥 {method} 不在签发者的 DID 文档中",
                    en=f"the proof's key {method} is not one the issuer's DID document lists",
                )
            )
            continue
        try:
            signature = multibase_decode(str(proof.get("proofValue")))
        except ValueError:
            errors.append(
                Text(
                    zh="proofValue 不是 base58-btc 多基编码（z…）",
                    en="proofValue is not multibase base58-btc (z…)",
                )
            )
            continue
        options = {k: v for k, v in proof.items() if k != "proofValue"}
        try:
            if document_digest is None:
                document_digest = digest(unsecured)
            data = signed_data({"@context": unsecured.get("@context"), **options}, document_digest)
        except UnknownTermError as error:
            return _ProofOutcome(
                False,
                (
                    Text(
                        zh="凭证使用了其 @context 未定义的术语：" + "、".join(error.terms),
                        en="terms the credential's @context does not define: "
                        + ", ".join(error.terms),
                    ),
                ),
            )
        except UnsupportedTextError as error:
            return _ProofOutcome(
                False,
                (
                    Text(
                        zh=f"{error.where or '凭证'} 含有无法规范化的控制字符",
                        en=f"{error.where or 'the credential'} holds a control character"
                        " that cannot be canonicalized",
                    ),
                ),
            )
        except (jsonld.JsonLdError, TypeError, ValueError, KeyError, AttributeError) as error:
            return _ProofOutcome(False, (_not_json_ld(error),))
        try:
            key.verify(signature, data)
        except InvalidSignature:
            errors.append(
                Text(
                    zh=f"签名与凭证内容及密钥 {method} 不符",
                    en=f"the signature does not match the credential and the key {method}",
                )
            )
            continue
        if any(
            name in proof and not _DATE_TIME.search(str(proof[name]))
            for name in ("created", "expires")
        ):
            errors.append(
                Text(
                    zh="证明的 created/expires 不是日期时间",
                    en="the proof's created or expires is not a date-time",
                )
            )
            continue
        controller = str(method).split("#", 1)[0]
        if issuer != controller:
            errors.append(
                Text(
                    zh=f"签发者 {issuer} 不是密钥 {method} 的控制者",
                    en=f"the issuer {issuer} is not the controller of the key {method}",
                )
            )
            continue
        return _ProofOutcome(True, ())
    return _ProofOutcome(False, tuple(dict.fromkeys(errors)))


def _not_json_ld(error: Exception) -> Text:
    """Why pyld could not read the document: an unknown context (nothing is fetched), or
    its own first words on a malformed one."""
    details = getattr(error, "details", None)
    url = details.get("url") if isinstance(details, dict) else None
    if isinstance(url, str):
        return Text(
            zh=f"凭证引用了本验证器不认识的上下文 {url[:200]}（不从网络获取）",
            en=f"the credential names a context this verifier does not know: {url[:200]}"
            " (nothing is fetched)",
        )
    detail = str(error.args[0] if error.args else type(error).__name__)[:200]
    return Text(
        zh=f"凭证不是可读的 JSON-LD：{detail}",
        en=f"the credential is not JSON-LD its contexts can read: {detail}",
    )


async def _status(document: dict[str, Any], status: StatusReader) -> tuple[StatusCheck, list[Text]]:
    if not document.get("credentialStatus"):
        return StatusCheck.NONE, []
    entries = [
        e
        for e in _values(document["credentialStatus"])
        if isinstance(e, dict) and e.get("type") == STATUS_ENTRY
    ]
    if not entries:
        return StatusCheck.UNCHECKED, [
            Text(
                zh=f"状态类型不受支持：只检查 {STATUS_ENTRY}",
                en=f"a status this verifier cannot check: it reads {STATUS_ENTRY} only",
            )
        ]
    read: list[StatusEntry] = []
    for entry in entries:
        url, purpose = entry.get("statusListCredential"), entry.get("statusPurpose")
        index = _INDEX.match(str(entry.get("statusListIndex", "")))
        if (
            not isinstance(url, str)
            or not isinstance(purpose, str)
            or index is None
            or ("id" in entry and not isinstance(entry["id"], str))
            or entry.get("id") == url
        ):
            return StatusCheck.UNCHECKED, [
                Text(
                    zh=f"{STATUS_ENTRY} 不完整：需要 statusListCredential、statusPurpose 和"
                    " statusListIndex",
                    en=f"a {STATUS_ENTRY} needs a statusListCredential, a statusPurpose and"
                    " a statusListIndex",
                )
            ]
        read.append(StatusEntry(url, int(index.group(1)), purpose))
    revoked, unread = False, []
    for asked in read:
        try:
            answer = status(asked)
            bit = await answer if inspect.isawaitable(answer) else answer
        except IndexError:
            bit = None
        if bit is None:
            unread.append(asked)
        revoked = revoked or bool(bit)
    if revoked:
        return StatusCheck.REVOKED, [
            Text(zh="签发者已撤销此凭证", en="the issuer has revoked this credential")
        ]
    if unread:
        return StatusCheck.UNCHECKED, [
            Text(
                zh=f"无法读取状态列表 {e.list_url}（第 {e.index} 位），故无法确认凭证未被撤销",
                en=f"the status list {e.list_url} (index {e.index}) cannot be read, so"
                " whether the credential was revoked is unknown",
            )
            for e in unread
        ]
    return StatusCheck.ACTIVE, []


def _refused(reason: Text) -> Verification:
    return Verification(
        verified=False,
        proof_valid=False,
        issuer=None,
        issuer_name=None,
        issued_by_us=False,
        status=StatusCheck.UNCHECKED,
        valid_from=None,
        valid_until=None,
        types=(),
        errors=(reason,),
    )


def _size_refusal(document: object) -> Text | None:
    if not isinstance(document, dict):
        return Text(zh="凭证必须是 JSON 对象", en="a credential is a JSON object")
    if _deeper_than(document, MAX_DEPTH):
        return Text(
            zh=f"凭证嵌套超过 {MAX_DEPTH} 层，不予验证",
            en=f"the credential nests deeper than {MAX_DEPTH} levels: not verified",
        )
    try:
        size = len(orjson.dumps(document))
    except TypeError:
        return Text(zh="凭证不是 JSON", en="the credential is not JSON")
    if size > MAX_BYTES:
        return Text(
            zh=f"凭证有 {size} 字节，超过可验证的上限 {MAX_BYTES} 字节（1 MB）",
            en=f"the credential is {size} bytes of JSON; at most {MAX_BYTES} (1 MB) are verified",
        )
    return None


async def check(
    document: object,
    *,
    keys: Mapping[str, Ed25519PublicKey],
    status: StatusReader,
    now: datetime,
) -> Verification:
    """Verify `document` as Digital Bazaar's verifier would, with the issuer's `keys`
    (verification method id -> public key, as its DID document lists them), `status`
    answering for its status entries, at `now`. Never raises for a bad document."""
    refusal = _size_refusal(document)
    if refusal is not None:
        return _refused(refusal)
    assert isinstance(document, dict)
    issuer, issuer_name = _issuer(document)
    errors = _shape(document, now)
    work = functools.partial(_proofs, document, keys, issuer)
    outcome = await asyncio.get_running_loop().run_in_executor(_WORKERS, work)
    state, status_errors = await _status(document, status)
    errors.extend(outcome.errors)
    errors.extend(status_errors)
    return Verification(
        verified=not errors and state in (StatusCheck.ACTIVE, StatusCheck.NONE),
        proof_valid=outcome.holds,
        issuer=issuer,
        issuer_name=issuer_name,
        issued_by_us=outcome.holds,
        status=state,
        valid_from=_date(document.get("validFrom")),
        valid_until=_date(document.get("validUntil")),
        types=tuple(t for t in _values(document.get("type")) if isinstance(t, str)),
        errors=tuple(errors),
    )
