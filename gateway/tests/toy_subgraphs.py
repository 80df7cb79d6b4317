"""Small Strawberry Federation 2 subgraphs that exercise what the gateway supports.

people: Person entity (key id), root fields, a mutation, errors and nulls.
books: Book entity (key isbn), extends Person, a union and an interface, @inaccessible.
inventory (toy_inventory.py): Copy with a compound key, Book.weight, @shareable, @override.
reviews (toy_reviews.py): Book.shippingCost @requires weight, jumps to Copy by compound key, nulls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from strawberry.types import Info


@dataclass
class PersonRow:
    name: str
    email: str | None
    friends: list[str]
    best: str | None


@dataclass
class BookRow:
    title: str
    author: str
    year: int | None
    weight: float | None
    related: list[str]


@dataclass
class ReviewRow:
    id: str
    body: str
    stars: int | None
    author: str
    copy: tuple[str, str] | None


PEOPLE = {
    "p1": PersonRow("Ada", "ada@example.org", ["p2", "p3"], "p2"),
    "p2": PersonRow("Grace", "grace@example.org", ["p1"], None),
    "p3": PersonRow("Linus", None, ["p1", "p2"], "p1"),
}
BOOKS = {
    "b1": BookRow("Compilers", "p1", 1986, 1.5, ["b2"]),
    "b2": BookRow("Networks", "p2", 1990, None, ["b1"]),
    "b3": BookRow("Kernels", "p1", 1991, 0.5, []),
    "b4": BookRow("Orphans", "p9", None, 2.0, ["b1"]),
}
COPIES = {("central", "c1"): "b1", ("central", "c2"): "b1", ("east", "c1"): "b2"}
REVIEWS = {
    "b1": [
        ReviewRow("r1", "Classic", 5, "p2", ("central", "c1")),
        ReviewRow("r2", "Dense", None, "p3", None),
    ],
    "b2": [ReviewRow("r3", "Useful", 4, "p1", ("east", "c1"))],
    "b3": [],
    "b4": [],
}


def _authorization(info: Info) -> str | None:
    return info.context["request"].headers.get("authorization")


# ------------------------------------------------------------------ people
@strawberry.federation.type(keys=["id"])
class Person:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **_: Any) -> Person | None:
        return Person(id=id) if id in PEOPLE else None

    @strawberry.field
    def name(self) -> str:
        return PEOPLE[self.id].name

    @strawberry.field
    def email(self) -> str | None:
        if self.id == "p3":
            raise PermissionError("email is private")
        return PEOPLE[self.id].email

    @strawberry.field
    def nickname(self) -> str:
        """Non-null in the schema, but null for p2: nulls the nearest nullable parent."""
        nickname: Any = None if self.id == "p2" else f"{PEOPLE[self.id].name}y"
        return nickname

    @strawberry.field
    def best_friend(self) -> Person | None:
        best = PEOPLE[self.id].best
        return Person(id=strawberry.ID(best)) if best else None

    @strawberry.field
    def friends(self) -> list[Person]:
        return [Person(id=strawberry.ID(f)) for f in PEOPLE[self.id].friends]

    @strawberry.field
    def seen_authorization(self, info: Info) -> str | None:
        return _authorization(info)


@strawberry.type
class PeopleQuery:
    @strawberry.field
    def me(self, info: Info) -> Person | None:
        person_id = (_authorization(info) or "").removeprefix("Bearer ")
        return Person(id=strawberry.ID(person_id)) if person_id in PEOPLE else None

    @strawberry.field
    def person(self, id: strawberry.ID) -> Person | None:
        return Person(id=id) if id in PEOPLE else None

    @strawberry.field
    def people(self, first: int = 10) -> list[Person]:
        return [Person(id=strawberry.ID(i)) for i in list(PEOPLE)[:first]]


@strawberry.type
class PeopleMutation:
    @strawberry.mutation
    def rename(self, id: strawberry.ID, name: str) -> Person:
        if id not in PEOPLE:
            raise ValueError(f"no person {id}")
        PEOPLE[id].name = name
        return Person(id=id)


people = strawberry.federation.Schema(query=PeopleQuery, mutation=PeopleMutation)


# ------------------------------------------------------------------- books
@strawberry.federation.type(keys=["id"], name="Person")
class BooksPerson:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, **_: Any) -> BooksPerson:
        return BooksPerson(id=id)

    @strawberry.field
    def books(self) -> list[Book]:
        return [_book(isbn) for isbn, row in BOOKS.items() if row.author == self.id]


@strawberry.interface
class Publication:
    title: str


@strawberry.federation.type(keys=["isbn"])
class Book(Publication):
    isbn: strawberry.ID
    title: str = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, isbn: strawberry.ID, **_: Any) -> Book | None:
        return _book(isbn) if isbn in BOOKS else None

    @strawberry.federation.field(inaccessible=True)
    def internal_code(self) -> str:
        return f"INT-{self.isbn}"

    @strawberry.field
    def author(self) -> BooksPerson:
        return BooksPerson(id=strawberry.ID(BOOKS[self.isbn].author))

    @strawberry.field
    def year(self) -> int | None:
        return 0  # overridden by inventory: never asked here

    @strawberry.field
    def related(self) -> list[Book]:
        return [_book(isbn) for isbn in BOOKS[self.isbn].related]


def _book(isbn: str) -> Book:
    return Book(isbn=strawberry.ID(isbn), title=BOOKS[isbn].title)


@strawberry.type
class Magazine(Publication):
    issue: int


SearchResult = Annotated[Book | Magazine, strawberry.union("SearchResult")]


@strawberry.type
class BooksQuery:
    @strawberry.field
    def book(self, isbn: strawberry.ID) -> Book | None:
        return _book(isbn) if isbn in BOOKS else None

    @strawberry.field
    def books(self) -> list[Book]:
        return [_book(isbn) for isbn in BOOKS]

    @strawberry.field
    def search(self, term: str) -> list[SearchResult]:
        found: list[Book | Magazine] = [_book(i) for i, b in BOOKS.items() if term in b.title]
        return [*found, Magazine(title=f"{term} monthly", issue=7)]

    @strawberry.field
    def publications(self) -> list[Publication]:
        return [_book("b3"), Magazine(title="Byte", issue=1)]


books = strawberry.federation.Schema(query=BooksQuery, types=[Book, BooksPerson, Magazine])
