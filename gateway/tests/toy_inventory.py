"""The `inventory` toy subgraph: a compound key, @shareable and @override on Book."""

from __future__ import annotations

from typing import Any

import strawberry

from gateway.tests.toy_subgraphs import BOOKS, COPIES


@strawberry.federation.type(keys=["library code"])
class Copy:
    library: str
    code: str

    @classmethod
    def resolve_reference(cls, library: str, code: str, **_: Any) -> Copy | None:
        return Copy(library=library, code=code) if (library, code) in COPIES else None

    @strawberry.field
    def book(self) -> InventoryBook:
        return InventoryBook(isbn=strawberry.ID(COPIES[(self.library, self.code)]))

    @strawberry.field
    def condition(self) -> str | None:
        return "worn" if self.code == "c2" else None


@strawberry.federation.type(keys=["isbn"], name="Book")
class InventoryBook:
    isbn: strawberry.ID

    @classmethod
    def resolve_reference(cls, isbn: strawberry.ID, **_: Any) -> InventoryBook:
        return InventoryBook(isbn=isbn)

    @strawberry.federation.field(shareable=True)
    def title(self) -> str:
        return BOOKS[self.isbn].title

    @strawberry.federation.field(override="books")
    def year(self) -> int | None:
        return BOOKS[self.isbn].year

    @strawberry.field
    def weight(self) -> float | None:
        return BOOKS[self.isbn].weight

    @strawberry.field
    def copies(self) -> list[Copy]:
        return [Copy(library=lib, code=c) for (lib, c), b in COPIES.items() if b == self.isbn]


@strawberry.type
class InventoryQuery:
    @strawberry.field
    def copy(self, library: str, code: str) -> Copy | None:
        return Copy(library=library, code=code) if (library, code) in COPIES else None


inventory = strawberry.federation.Schema(query=InventoryQuery, types=[InventoryBook, Copy])
