"""The two languages the bank speaks: Simplified Chinese (`zh`) and English (`en`).

A request says which it wants with `Accept-Language` (`zh-CN`, `zh`, `en`, with
q-values); refusals and bilingual names follow it, codes and `field` never change.
English is the default, as it was before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
DEFAULT: Language = "en"


def negotiate(header: str | None) -> Language:
    """The language of an `Accept-Language` header the bank speaks, by the client's
    preference (q-values); English when it names neither."""
    if not header:
        return DEFAULT
    best: tuple[float, int, Language] | None = None
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        language = _language_of(tag.strip().lower())
        if language is None:
            continue
        quality = _quality(params)
        if quality <= 0:
            continue
        candidate = (quality, -position, language)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else DEFAULT


def _language_of(tag: str) -> Language | None:
    primary = tag.split("-", 1)[0]
    if primary == "zh":
        return "zh"
    if primary == "en":
        return "en"
    return None


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


@dataclass(frozen=True)
class Text:
    """A text in both languages; either may be missing, and then the other is shown."""

    zh: str | None
    en: str | None

    def __call__(self, language: Language) -> str:
        first, second = (self.zh, self.en) if language == "zh" else (self.en, self.zh)
        return first or second or ""

    @classmethod
    def optional(cls, zh: str | None, en: str | None) -> Text | None:
        return None if zh is None and en is None else cls(zh, en)
