"""The accounts subgraph: GraphQL types and thin resolvers."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from cbkit.auth import Role as RoleValue
from cbkit.graphql import Context, RefusalErrors
from services.accounts import repository, service_layer
from services.accounts.domain import Account as AccountRecord
from services.accounts.tokens import TokenIssuer

Role = strawberry.enum(RoleValue, name="Role")


def account_loader(info: Info[Context, None]) -> DataLoader[str, AccountRecord | None]:
    return info.context.loader("accounts", repository.accounts_by_id)


@strawberry.federation.type(keys=["id"])
class Account:
    id: strawberry.ID
    role: Role  # type: ignore[valid-type]
    display_name: str
    email: str
    created_at: datetime

    @classmethod
    def from_record(cls, record: AccountRecord) -> Account:
        return cls(
            id=strawberry.ID(record.id),
            role=record.role,
            display_name=record.display_name,
            email=record.email,
            created_at=record.created_at,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[Context, None], id: strawberry.ID
    ) -> Account | None:
        record = await account_loader(info).load(str(id))
        return cls.from_record(record) if record else None


@strawberry.type
class AuthPayload:
    token: str
    account: Account


@strawberry.type
class Query:
    @strawberry.field
    async def me(self, info: Info[Context, None]) -> Account | None:
        principal = info.context.principal
        if principal is None:
            return None
        record = await account_loader(info).load(principal.account_id)
        return Account.from_record(record) if record else None


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def open_account(
        self, info: Info[Context, None], email: str, password: str, display_name: str
    ) -> AuthPayload:
        async with info.context.pool.acquire() as conn:
            record = await service_layer.open_account(conn, email, password, display_name)
        tokens: TokenIssuer = info.context.services["tokens"]
        return AuthPayload(
            token=tokens.issue(record.id, record.role), account=Account.from_record(record)
        )


schema = strawberry.federation.Schema(
    query=Query, mutation=Mutation, types=[Account], extensions=[RefusalErrors]
)
