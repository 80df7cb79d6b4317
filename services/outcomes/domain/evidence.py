"""Evidence files: what is accepted and how it is recognised; no I/O."""

from __future__ import annotations

import unicodedata

from cbkit.errors import Refusal, TooLarge, UnsupportedMediaType

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_FILENAME = 255
SNIFF_BYTES = 8

# Recognised by content, never by name or declared type.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def sniff(head: bytes) -> str:
    """The content type the first bytes show, or a refusal."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise UnsupportedMediaType(
        "file: only PDF, PNG and JPEG files are accepted (recognised by their content)",
        field="file",
    )


def check_size(size: int) -> None:
    if size > MAX_EVIDENCE_BYTES:
        raise TooLarge(
            f"file: evidence files are at most {MAX_EVIDENCE_BYTES // (1024 * 1024)} MiB",
            field="file",
        )
    if size == 0:
        raise Refusal("file: the file is empty", field="file")


def clean_filename(raw: str) -> str:
    """The file's own name without any path, control characters or excess length."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:MAX_FILENAME] or "evidence"
