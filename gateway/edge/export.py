"""`GET /me/export`: everything the bank holds about the signed-in learner, in one ZIP.

Every subgraph's service answers `GET /privacy/export` (`cbkit.privacy`) with the
caller's own records as JSON; the gateway asks them all at once with the client's
`Authorization`, `X-Request-Id` and `Accept-Language`. A refusal by any of them (no
token, not a learner) is the answer, as that service gave it; a service out of reach
makes it a 503 naming no host. Otherwise the archive is streamed: `<subgraph>.json` for
each service, every evidence file the evidence subgraph's records list (each with
`"download": "/evidence/<id>"`) at `evidence/<id>/<filename>`, fetched from that
service with the learner's token and copied chunk by chunk (never a whole file held),
and `README.txt` in Chinese and English saying what each file is and when it was made.
"""

from __future__ import annotations

import asyncio
import logging
import re
import zipfile
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import httpx
import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from cbkit import wire
from cbkit.auth import AuthError, bearer
from cbkit.errors import Unauthenticated
from cbkit.http import refusal_response
from cbkit.i18n import Language, Text, negotiate
from cbkit.logs import request_id
from cbkit.privacy import EXPORT_PATH
from gateway.edge.http import _accept_language as accept_language
from gateway.edge.tokens import TokenCheck, Verified, reason_of
from gateway.edge.upstream import Upstream, service_origin
from gateway.executor import Forwarded

logger = logging.getLogger(__name__)

ROUTE = "/me/export"
DOWNLOAD = re.compile(r"/evidence/([A-Za-z0-9_-]{1,100})")
ACCOUNT_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
README = "README.txt"

ABOUT: dict[str, Text] = {
    "accounts": Text(
        "账户服务保存的资料：个人资料、授权给机构的同意、学分账本、学分兑换记录和登录会话",
        "what the accounts service holds: your profile, the consents you gave institutions,"
        " your credit ledger, redemptions of your credits and your sign-in sessions",
    ),
    "outcomes": Text(
        "成果服务保存的资料：你提交的学习成果（含补充说明和认证状态）及证明材料的记录",
        "what the outcomes service holds: the results you added (with resubmission notes"
        " and their certification status) and the records of your evidence files",
    ),
    "certification": Text(
        "认证服务保存的资料：你的成果的审核案件、审核步骤和决定",
        "what the certification service holds: the review cases of your results,"
        " their steps and decisions",
    ),
    "conversion": Text(
        "学分转换服务保存的资料：转换得到的学分（含所用规则版本）、未能转换的说明和证书",
        "what the conversion service holds: the credits your results converted to (with"
        " the rule version), the explanations of results that converted nothing,"
        " and your certificates",
    ),
}


@dataclass(frozen=True)
class _Export:
    """One service's answer: its JSON as sent, and decoded."""

    subgraph: str
    body: bytes
    document: dict[str, Any]


@dataclass(frozen=True)
class _Refused:
    """A refusal a service answered: passed on to the client as it is."""

    status: int
    body: bytes
    www_authenticate: str | None


@dataclass(frozen=True)
class _Unreachable:
    """A service that could not be asked, or whose answer is unusable (logged)."""

    subgraph: str


@dataclass(frozen=True)
class _Evidence:
    id: str
    download: str
    filename: str | None
    """The name in the service's record; the download's own Content-Disposition wins."""


@dataclass
class _Sink:
    """Where the ZIP writer writes: a stream it cannot seek (so every entry ends with a
    data descriptor), emptied after each write into what the response sends on."""

    chunks: list[bytes] = field(default_factory=list)

    def write(self, data: bytes, /) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        taken = b"".join(self.chunks)
        self.chunks.clear()
        return taken


@dataclass
class _Report:
    """What went into the archive, for its README."""

    made_at: datetime
    learner_id: str
    services: list[str]
    files: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """(evidence id, why) of the files that could not be copied whole."""


class ArchiveExport(Upstream):
    """The `/me/export` endpoint over the subgraphs of `subgraph_urls`; evidence files
    from the service of `evidence_subgraph` (None: no files)."""

    def __init__(
        self,
        subgraph_urls: Mapping[str, str],
        tokens: TokenCheck,
        evidence_subgraph: str | None,
    ) -> None:
        super().__init__()
        self._origins = {name: service_origin(url) for name, url in sorted(subgraph_urls.items())}
        self._tokens = tokens
        self._evidence_subgraph = evidence_subgraph

    async def download(self, request: Request) -> Response:
        caller = await self._caller(request)
        if isinstance(caller, Response):
            return caller
        language = negotiate(request.headers.get("accept-language"))
        peer = request.client.host if request.client else None
        headers = Forwarded(
            request.headers.get("authorization"),
            request_id.get(),
            peer,
            accept_language(request.headers.get("accept-language")),
        ).headers()
        answers = await asyncio.gather(
            *(self._export(name, origin, headers) for name, origin in self._origins.items())
        )
        for answer in answers:
            if isinstance(answer, _Refused):
                return _passed_on(answer)
        exports = [answer for answer in answers if isinstance(answer, _Export)]
        if len(exports) < len(answers):
            return _unavailable(language)
        learner_id = _one_learner(exports, caller)
        if learner_id is None:
            return _unavailable(language)
        report = _Report(datetime.now(UTC), learner_id, [e.subgraph for e in exports])
        return StreamingResponse(
            self._archive(exports, report, headers),
            media_type="application/zip",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="creditbank-export-{learner_id}.zip"'
                ),
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    async def _caller(self, request: Request) -> Verified | Response | None:
        """The verified token (None when the token check is off, `keys=None`), or the 401
        for a request without a valid bearer token."""
        authorization = request.headers.get("authorization")
        try:
            verified = await self._tokens.check(authorization)
        except AuthError as error:
            refusal = Unauthenticated(
                f"Unauthenticated: {reason_of(error)}",
                zh=f"未通过身份验证：令牌无效或已过期（{reason_of(error)}）",
            )
            response = refusal_response(refusal, request=request)
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        try:
            signed_in = verified is not None or bearer(authorization) is not None
        except AuthError:
            signed_in = False
        if signed_in:
            return verified
        refusal = Unauthenticated(
            "sign in first: your records are downloaded with your bearer token",
            zh="请先登录：下载个人数据需要持有者令牌",
        )
        return refusal_response(refusal, request=request)

    async def _export(
        self, subgraph: str, origin: str, headers: dict[str, str]
    ) -> _Export | _Refused | _Unreachable:
        """One service's export, the refusal it answered, or why it is unusable (logged)."""
        assert self._client is not None, "ArchiveExport.start() was not awaited"
        try:
            response = await self._client.get(f"{origin}{EXPORT_PATH}", headers=headers)
        except httpx.HTTPError as error:
            logger.warning("the %s service at %s did not answer: %r", subgraph, origin, error)
            return _Unreachable(subgraph)
        document = _json_object(response.content)
        if 400 <= response.status_code < 500 and _is_refusal(document):
            return _Refused(
                response.status_code, response.content, response.headers.get("www-authenticate")
            )
        if response.status_code != 200 or not isinstance(document.get("records"), dict):
            logger.warning(
                "the %s service at %s answered its export with %d: %r",
                subgraph,
                origin,
                response.status_code,
                response.content[:200],
            )
            return _Unreachable(subgraph)
        return _Export(subgraph, response.content, document)

    async def _archive(
        self, exports: list[_Export], report: _Report, headers: dict[str, str]
    ) -> AsyncIterator[bytes]:
        sink = _Sink()
        archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED)
        for export in exports:
            archive.writestr(_entry(f"{export.subgraph}.json", report.made_at), export.body)
            report.files.append(f"{export.subgraph}.json")
            yield sink.take()
        for evidence in self._evidence_of(exports):
            async for chunk in self._copy(evidence, archive, sink, report, headers):
                yield chunk
        archive.writestr(_entry(README, report.made_at), _readme(report).encode())
        archive.close()
        yield sink.take()

    def _evidence_of(self, exports: list[_Export]) -> list[_Evidence]:
        """Every file the evidence subgraph's records point to, once each."""
        found: dict[str, _Evidence] = {}
        for export in exports:
            if export.subgraph != self._evidence_subgraph:
                continue
            for records in export.document["records"].values():
                for record in records if isinstance(records, list) else ():
                    download = record.get("download") if isinstance(record, dict) else None
                    if not isinstance(download, str):
                        continue
                    match = DOWNLOAD.fullmatch(download)
                    if match is not None and match[1] not in found:
                        name = record.get("filename")
                        found[match[1]] = _Evidence(
                            match[1], download, name if isinstance(name, str) else None
                        )
        return list(found.values())

    async def _copy(
        self,
        evidence: _Evidence,
        archive: zipfile.ZipFile,
        sink: _Sink,
        report: _Report,
        headers: dict[str, str],
    ) -> AsyncIterator[bytes]:
        """One evidence file into the archive as it streams in; a file that cannot be
        fetched whole is named in the README."""
        assert self._client is not None and self._evidence_subgraph is not None
        url = f"{self._origins[self._evidence_subgraph]}{evidence.download}"
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code != 200:
                    logger.warning("evidence %s answered %d", evidence.id, response.status_code)
                    report.missing.append((evidence.id, f"HTTP {response.status_code}"))
                    return
                filename = _filename(response.headers.get("content-disposition"), evidence)
                name = f"evidence/{evidence.id}/{filename}"
                report.files.append(name)
                with archive.open(_entry(name, report.made_at), "w") as entry:
                    async for chunk in response.aiter_bytes():
                        entry.write(chunk)
                        yield sink.take()
        except httpx.HTTPError as error:
            logger.warning("evidence %s could not be copied: %r", evidence.id, error)
            report.missing.append((evidence.id, "incomplete: the service stopped answering"))
        yield sink.take()


def _one_learner(exports: list[_Export], caller: Verified | None) -> str | None:
    """The learner every service exported, who is also the token's (when the gateway
    checks tokens); None (logged) when they differ."""
    named = {str(export.document.get("learnerId")) for export in exports}
    if caller is not None:
        named.add(caller.principal.account_id)
    if len(named) != 1 or not ACCOUNT_ID.fullmatch(learner := next(iter(named))):
        logger.warning("the exports name other learners than the token's: %s", sorted(named))
        return None
    return learner


def _json_object(content: bytes) -> dict[str, Any]:
    try:
        decoded = orjson.loads(content)
    except orjson.JSONDecodeError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _is_refusal(document: dict[str, Any]) -> bool:
    return isinstance(document.get("error"), str) and isinstance(document.get("code"), str)


def _passed_on(refused: _Refused) -> Response:
    headers = {"WWW-Authenticate": refused.www_authenticate} if refused.www_authenticate else {}
    return Response(
        refused.body, status_code=refused.status, media_type="application/json", headers=headers
    )


def _unavailable(language: Language) -> Response:
    """The client learns that a service is unavailable and the request id; the log says
    which one and why."""
    rid = request_id.get()
    message = Text(
        f"暂时无法导出：有一项服务不可用（请求编号 {rid}）",
        f"a service is unavailable (request id {rid})",
    )
    body = {
        "error": message(language),
        "code": "SERVICE_UNAVAILABLE",
        "field": None,
        "requestId": rid,
    }
    return JSONResponse(body, status_code=503)


def _entry(name: str, made_at: datetime) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=made_at.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def _filename(content_disposition: str | None, evidence: _Evidence) -> str:
    """The file's name (RFC 6266 `filename*` first), made safe as one path segment."""
    name = evidence.filename
    for part in (content_disposition or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename*" and value.lower().startswith("utf-8''"):
            name = unquote(value[len("utf-8''") :])
            break
        if key.lower() == "filename" and value:
            name = value.strip('"')
    return _safe(name or "")


def _safe(name: str) -> str:
    """One path segment: no directories, no control characters, never `.` or `..`."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in last if c.isprintable()).strip()
    return cleaned[:200] if cleaned.strip(".") else "file"


def _readme(report: _Report) -> str:
    made = wire.instant(report.made_at.replace(microsecond=0))
    zh = [
        "学分银行：个人数据导出",
        "",
        f"本压缩包于 {made}（协调世界时）生成，包含学分银行各项服务为学习者"
        f" {report.learner_id} 保存的全部个人数据。",
        "每个 JSON 文件中的 exportedAt 是该服务导出记录的时间。",
        "",
        *(f"- {s}.json：{_about(s)('zh')}" for s in report.services),
        "- evidence/<证明材料编号>/<文件名>：你上传的证明材料原件，与成果服务记录中的编号对应。",
        f"- {README}：本说明。",
    ]
    en = [
        "Credit Bank: your personal data",
        "",
        f"This archive was made at {made} (UTC) and holds everything the Credit Bank's"
        f" services keep about learner {report.learner_id}.",
        "In each JSON file, exportedAt is when that service exported its records.",
        "",
        *(f"- {s}.json: {_about(s)('en')}" for s in report.services),
        "- evidence/<evidence id>/<file name>: the evidence files you uploaded, as you"
        " uploaded them, under the ids of the outcomes service's records.",
        f"- {README}: this note.",
    ]
    files = ["", "文件 / Files:", *(f"  {name}" for name in report.files)]
    if report.missing:
        files += [
            "",
            "未能完整导出的证明材料 / Evidence files that could not be included whole:",
            *(f"  {evidence_id}: {why}" for evidence_id, why in report.missing),
        ]
    return "\n".join([*zh, "", *en, *files, ""])


def _about(subgraph: str) -> Text:
    return ABOUT.get(
        subgraph,
        Text(
            f"{subgraph} 服务为你保存的记录",
            f"the records the {subgraph} service holds about you",
        ),
    )
