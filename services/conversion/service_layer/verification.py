"""Checking a credential anyone hands us (`verifyCredential`, public): the verdict
Digital Bazaar's verifier would give (cbkit/vc/verification.py), with the bank's own
keys (every key its DID document lists, previous ones too) and the bits of its own
status lists. A status list that is not ours is not fetched: that status is
UNCHECKED and the credential not verified, as a verifier that cannot load the list
concludes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from cbkit.vc.did import key_id
from cbkit.vc.status import STATUS_PURPOSE
from cbkit.vc.verification import StatusEntry, Verification, check
from services.conversion.service_layer.credentials import our_status_list
from services.conversion.service_layer.dependencies import Dependencies

BitReader = Callable[[int, int], Awaitable[bool | None]]
"""Whether bit `index` of our status list `number` is set (None: no such list or bit);
the resolver's `credentials.status_bit` on a connection of its own, held only for the
read, not for the second a large credential takes to canonicalize."""


async def verify_credential(
    deps: Dependencies, document: object, read_bit: BitReader
) -> Verification:
    """The verdict on `document` now (deps.clock), never an exception for a bad one."""
    issuer = deps.credential_keys
    keys = {key_id(issuer.did, n): key for n, key in enumerate(issuer.public_keys, start=1)}

    async def status(entry: StatusEntry) -> bool | None:
        number = our_status_list(deps, entry.list_url)
        if number is None or entry.purpose != STATUS_PURPOSE:
            return None
        return await read_bit(number, entry.index)

    return await check(document, keys=keys, status=status, now=deps.clock.now())
