"""The tills' tokens. A till is enrolled with a token made here
(secrets.token_urlsafe, 256 bits), printed once; the hub keeps only its sha256
(a token is random, so a plain hash is enough: there is nothing to guess from
it). A request's token is compared with every active till's hash by
hmac.compare_digest, all of them, so the time taken says nothing about which
till or how much of a hash matched. A revoked till's token stops working at
its next request (the store reads the tills again once any other connection
committed: HubStore.active_tills).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from ..errors import UsageError
from .sale import TILL_ID
from .store import HubStore

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def enroll(store: HubStore, till_id: str) -> str:
    """Enrols `till_id` (or a revoked one again) and returns its new token, which
    is not kept: only its hash is. An active till is refused: revoke it first."""
    if not TILL_ID.fullmatch(till_id):
        raise UsageError(f"{till_id!r} is not a till id (letters, digits, '_', '.', '-'; "
                         "at most 64; the till's --till name)")
    known = store.till(till_id)
    if known is not None and known.revoked_at is None:
        raise UsageError(f"till {till_id} is enrolled already; revoke it first "
                         f"(pos hub revoke {till_id}) to give it a new token")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    store.put_till(till_id, hash_token(token))
    return token


def revoke(store: HubStore, till_id: str) -> None:
    if not store.revoke_till(till_id):
        raise UsageError(f"till {till_id} is not enrolled here, or is revoked already")


def authenticate(store: HubStore, token: str) -> str | None:
    """The active till whose token this is, or None."""
    presented = hash_token(token).encode("ascii")
    found = None
    for till in store.active_tills():
        if hmac.compare_digest(presented, till.token_hash.encode("ascii")):
            found = till.till_id
    return found
