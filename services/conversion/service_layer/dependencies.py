"""What conversion's resolvers, handlers and jobs share, built once at start by
`service.py`."""

from __future__ import annotations

from dataclasses import dataclass

from cbkit.clock import Clock
from cbkit.vc.issuer import IssuerKeys
from services.conversion.domain.credentials import Issuer

ISSUER_NAME_ZH = "学分银行"
ISSUER_NAME_EN = "Credit Bank"


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    credential_keys: IssuerKeys
    """The credential issuer's keys (CB_PUBLIC_URL, CB_CREDENTIAL_KEY[_FILE]): what the
    certificates, transcripts and status lists are signed with."""
    issuer: Issuer
    """The issuer profile the credentials name (did:web of the public address)."""


def issuer_profile(keys: IssuerKeys) -> Issuer:
    """The bank as the credentials' issuer, under the keys' public address."""
    return Issuer(
        did=keys.did, name_zh=ISSUER_NAME_ZH, name_en=ISSUER_NAME_EN, public_url=keys.public_url
    )
