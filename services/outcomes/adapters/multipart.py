"""A streaming multipart/form-data reader: parts come out as the body comes in,
so a file is never held whole in memory and reading can stop at any point."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from cbkit.errors import Refusal
from services.outcomes.domain import TooLarge

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_HEADER_BYTES = 8 * 1024


@dataclass(frozen=True)
class PartStart:
    name: str
    filename: str | None


@dataclass(frozen=True)
class PartData:
    data: bytes


@dataclass(frozen=True)
class PartEnd:
    pass


Part = PartStart | PartData | PartEnd


class MalformedBody(Refusal):
    pass


def _text(raw: bytes) -> str:
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _filename(raw: bytes) -> str:
    """The name as the user chose it: browsers escape these three (WHATWG forms)."""
    text = _text(raw)
    for escaped, character in (("%22", '"'), ("%0D", "\r"), ("%0A", "\n")):
        text = text.replace(escaped, character)
    return text


class _Collector:
    """Turns the parser's callbacks into parts, drained after each write."""

    def __init__(self) -> None:
        self.pending: list[Part] = []
        self.ended = False
        self._field = b""
        self._value = b""
        self._disposition = b""

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": lambda: self.pending.append(PartEnd()),
            "on_end": self._end,
        }

    def drain(self) -> list[Part]:
        parts, self.pending = self.pending, []
        return parts

    def _begin(self) -> None:
        self._disposition = b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]
        self._check_header()

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]
        self._check_header()

    def _check_header(self) -> None:
        if len(self._field) + len(self._value) > MAX_HEADER_BYTES:
            raise MalformedBody(
                "a multipart part header is too long", zh="multipart 分段的头部过长"
            )

    def _header_end(self) -> None:
        if self._field.lower() == b"content-disposition":
            self._disposition = self._value
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise MalformedBody(
                "every multipart part needs a Content-Disposition name",
                zh="每个 multipart 分段都需要带 name 的 Content-Disposition",
            )
        filename = options.get(b"filename")
        self.pending.append(
            PartStart(
                _text(options[b"name"]), _filename(filename) if filename is not None else None
            )
        )

    def _data(self, data: bytes, start: int, end: int) -> None:
        self.pending.append(PartData(data[start:end]))

    def _end(self) -> None:
        self.ended = True


async def read_parts(
    content_type: str | None, body: AsyncIterator[bytes], max_body: int
) -> AsyncGenerator[Part, None]:
    """The parts of a multipart body, in order; refuses a body longer than `max_body`."""
    kind, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise MalformedBody(
            "send the file as multipart/form-data",
            field="file",
            zh="请以 multipart/form-data 格式发送文件",
        )
    collector = _Collector()
    parser = MultipartParser(boundary, collector.callbacks())
    received = 0
    try:
        async for chunk in body:
            received += len(chunk)
            if received > max_body:
                raise TooLarge("the request body is too large", field="file", zh="请求体过大")
            parser.write(chunk)
            for part in collector.drain():
                yield part
        parser.finalize()
    except FormParserError as exc:
        raise MalformedBody(
            f"the multipart body is malformed: {exc}",
            field="file",
            zh=f"multipart 请求体格式错误：{exc}",
        ) from exc
    for part in collector.drain():
        yield part
    if not collector.ended:
        raise MalformedBody(
            "the multipart body ends before its closing boundary",
            field="file",
            zh="multipart 请求体在结束边界之前就结束了",
        )
