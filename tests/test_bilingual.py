"""Every refusal is written in both languages: whatever raises a `Refusal` (or one of
its kinds) passes the Chinese text as `zh=`, so a client asking for zh-CN never reads
English where a Chinese sentence was owed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from services import SERVICES

ROOT = Path(__file__).resolve().parents[1]
PLACES = ("cbkit", "gateway", *(f"services/{name}" for name in SERVICES))
BASES = {"Refusal"}


def _sources(place: str) -> list[Path]:
    return [
        path
        for path in sorted((ROOT / place).rglob("*.py"))
        if "tests" not in path.relative_to(ROOT).parts and "node_modules" not in path.parts
    ]


def _refusal_kinds() -> set[str]:
    """Refusal and every class that derives from it, anywhere in the code."""
    kinds = set(BASES)
    classes: list[ast.ClassDef] = []
    for place in PLACES:
        for path in _sources(place):
            tree = ast.parse(path.read_text())
            classes += [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {
                b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
            }
            if node.name not in kinds and bases & kinds:
                kinds.add(node.name)
                grew = True
    return kinds


KINDS = _refusal_kinds()


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


@pytest.mark.parametrize("place", PLACES)
def test_every_refusal_has_its_chinese_text(place):
    missing = []
    for path in _sources(place):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or _called_name(node) not in KINDS:
                continue
            keywords = {k.arg for k in node.keywords}
            # InvalidScalar and the like carry both texts in their arguments
            if "zh" not in keywords and None not in keywords and not _bilingual_args(node):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not missing, "refusals without zh=: " + ", ".join(missing)


def _bilingual_args(call: ast.Call) -> bool:
    """A refusal built from a `Text` (both languages) rather than a message string."""
    if not call.args:
        return False
    first = call.args[0]
    if isinstance(first, ast.Call):
        return _called_name(first) == "Text"
    name = first.id if isinstance(first, ast.Name) else getattr(first, "attr", "")
    return name == "expected"


def _base_name(base: ast.expr) -> str:
    if isinstance(base, ast.Name):
        return base.id
    return base.attr if isinstance(base, ast.Attribute) else ""
