"""The `reviews` toy subgraph: @requires, a compound-key jump, nulls at depth."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.federation.schema_directives import FieldSet, Key

from gateway.tests.toy_subgraphs import REVIEWS


@strawberry.federation.type(
    directives=[Key(fields=FieldSet("id"), resolvable=False)], name="Person"
)
class ReviewsPerson:
    id: strawberry.ID


@strawberry.federation.type(keys=["library code"], name="Copy")
class ReviewsCopy:
    library: str
    code: str

    @classmethod
    def resolve_reference(cls, library: str, code: str, **_: Any) -> ReviewsCopy:
        return ReviewsCopy(library=library, code=code)

    @strawberry.field
    def review_count(self) -> int:
        here = (self.library, self.code)
        return sum(1 for rows in REVIEWS.values() for row in rows if row.copy == here)


@strawberry.type
class Review:
    id: strawberry.ID
    body: str
    stars: int  # non-null, yet null for one review
    author: ReviewsPerson | None
    copy_reviewed: ReviewsCopy | None


@strawberry.federation.type(keys=["isbn"], name="Book")
class ReviewsBook:
    isbn: strawberry.ID
    weight: float | None = strawberry.federation.field(external=True, default=None)

    @classmethod
    def resolve_reference(
        cls, isbn: strawberry.ID, weight: float | None = None, **_: Any
    ) -> ReviewsBook:
        return ReviewsBook(isbn=isbn, weight=weight)

    @strawberry.federation.field(requires=["weight"])
    def shipping_cost(self) -> float:
        if self.weight is None:
            raise ValueError(f"no weight known for {self.isbn}")
        return round(2.0 + 3.0 * self.weight, 2)

    @strawberry.field
    def reviews(self) -> list[Review]:
        return _reviews(self.isbn)


def _reviews(isbn: str) -> list[Review]:
    return [
        Review(
            id=strawberry.ID(row.id),
            body=row.body,
            stars=row.stars,  # type: ignore[arg-type]
            author=ReviewsPerson(id=strawberry.ID(row.author)),
            copy_reviewed=ReviewsCopy(library=row.copy[0], code=row.copy[1]) if row.copy else None,
        )
        for row in REVIEWS[isbn]
    ]


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def top_review(self) -> Review | None:
        return _reviews("b1")[0]


reviews = strawberry.federation.Schema(
    query=ReviewsQuery, types=[ReviewsBook, ReviewsCopy, ReviewsPerson]
)
