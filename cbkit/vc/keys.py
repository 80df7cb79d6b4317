"""Ed25519 keys as Multikey (`publicKeyMultibase` = 'z' + base58btc(0xed 0x01 || key)) and
the base58-btc alphabet that multibase's 'z' prefix stands for."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
ED25519_PUB_PREFIX = b"\xed\x01"  # the multicodec varint of ed25519-pub (0xed)


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, rem = divmod(n, 58)
        out.append(_ALPHABET[rem])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    zeros = len(text) - len(text.lstrip("1"))
    n = 0
    for ch in text:
        try:
            n = n * 58 + _INDEX[ch]
        except KeyError:
            raise ValueError(f"not base58-btc: {ch!r}") from None
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58-btc: 'z' + base58btc(data)."""
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("not multibase base58-btc (it must start with 'z')")
    return b58decode(text[1:])


def encode_public_key_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return multibase_encode(ED25519_PUB_PREFIX + raw)


def decode_public_key_multibase(text: str) -> Ed25519PublicKey:
    data = multibase_decode(text)
    if len(data) != 34 or not data.startswith(ED25519_PUB_PREFIX):
        raise ValueError("not an Ed25519 Multikey (0xed01 followed by 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(data[2:])
