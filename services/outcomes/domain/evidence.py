"""Evidence files: what is accepted and how it is recognised; no I/O."""

from __future__ import annotations

import unicodedata

from cbkit.errors import Conflict, Refusal, TooLarge, UnsupportedMediaType

KiB = 1024
MiB = 1024 * KiB
MAX_EVIDENCE_BYTES = 10 * MiB
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
        zh="file：只接受 PDF、PNG 和 JPEG 文件（按文件内容识别）",
    )


def size_text(size: int) -> str:
    """A size as people read it: 100 MiB, 1.5 MiB, 64 KiB, 10 bytes."""
    for unit, name in ((MiB, "MiB"), (KiB, "KiB")):
        if size >= unit:
            return f"{size / unit:.1f}".removesuffix(".0") + f" {name}"
    return f"{size} bytes"


def check_size(size: int) -> None:
    if size > MAX_EVIDENCE_BYTES:
        raise TooLarge(
            f"file: evidence files are at most {size_text(MAX_EVIDENCE_BYTES)}",
            field="file",
            zh=f"file：证明文件最大为 {size_text(MAX_EVIDENCE_BYTES)}",
        )
    if size == 0:
        raise Refusal("file: the file is empty", field="file", zh="file：文件是空的")


def check_quota(stored: int, incoming: int, quota: int) -> None:
    """Refuses a file of (at least) `incoming` bytes that would take a learner who
    stores `stored` bytes of files past their `quota`."""
    if stored + incoming > quota:
        raise Conflict(
            f"file: this file would exceed your evidence storage quota of {size_text(quota)}"
            f" ({size_text(stored)} stored already); files attached to no result are"
            " deleted after a while, which frees their space",
            field="file",
            zh=f"file：此文件将超出您 {size_text(quota)} 的证明文件存储配额"
            f"（已存储 {size_text(stored)}）；未附加到任何成果的文件会在一段时间后删除，"
            "从而释放空间",
        )


def clean_filename(raw: str) -> str:
    """The file's own name without any path, control characters or excess length."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:MAX_FILENAME] or "evidence"
