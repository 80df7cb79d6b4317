"""`verifyCredential`: anyone (no sign-in) hands in a credential and learns whether it
holds, who issued it and its status, with the reasons in the request's language."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from cbkit.vc.verification import StatusCheck, Verification
from services.conversion.schema.context import Info
from services.conversion.service_layer import credentials, verification

strawberry.enum(
    StatusCheck,
    name="CredentialStatusCheck",
    description="What the credential's status (a W3C Bitstring Status List entry) says",
)


@strawberry.type(
    description="The verdict on a verifiable credential, as a verifier that knows this"
    " bank's keys and status lists gives it (Digital Bazaar's gives the same)"
)
class CredentialVerification:
    verified: bool = strawberry.field(
        description="whether to accept it: the proof holds, the issuer signed it, it is"
        " valid now and not revoked, its status read"
    )
    proof_valid: bool = strawberry.field(
        description="the eddsa-rdfc-2022 proof holds for a key of the issuer it names"
    )
    issuer: str | None = strawberry.field(description="the issuer's id as the credential names it")
    issuer_name: str | None = strawberry.field(
        description="the issuer's name as the credential gives it"
    )
    issued_by_this_bank: bool = strawberry.field(
        description="signed with one of this bank's credential keys, for this bank"
    )
    status: StatusCheck = strawberry.field(
        description="ACTIVE: not revoked; REVOKED; NONE: no status to check; UNCHECKED: a"
        " status list this bank does not keep (not verified)"
    )
    valid_from: datetime | None = strawberry.field(description="from when it is valid")
    valid_until: datetime | None = strawberry.field(description="until when it is valid")
    types: list[str] = strawberry.field(description="its types (VerifiableCredential, …)")
    errors: list[str] = strawberry.field(
        description="why it is not verified (or what could not be checked), in the"
        " request's language; empty when verified"
    )

    @classmethod
    def from_record(cls, found: Verification, info: Info) -> CredentialVerification:
        language = info.context.language
        return cls(
            verified=found.verified,
            proof_valid=found.proof_valid,
            issuer=found.issuer,
            issuer_name=found.issuer_name,
            issued_by_this_bank=found.issued_by_us,
            status=found.status,
            valid_from=found.valid_from,
            valid_until=found.valid_until,
            types=list(found.types),
            errors=[reason(language) for reason in found.errors],
        )


async def verify_credential(info: Info, credential: JSON) -> CredentialVerification:
    """The resolver of Query.verifyCredential: public, like the catalog."""

    def read_bit(number: int, index: int) -> Awaitable[bool | None]:
        return info.context.run(credentials.status_bit, number, index)

    found = await verification.verify_credential(info.context.deps, credential, read_bit)
    return CredentialVerification.from_record(found, info)
