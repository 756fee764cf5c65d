"""Idempotency keys that carry their payload's fingerprint.

A moment or kudos is created with a client-made id, so a retry (a lost answer, a queue sent
twice) returns the original instead of storing it again. The id alone cannot tell a retry
from a different entry that reuses it (a cached form, a buggy client): the fingerprint of
the validated input is stored with the entry, and a repeat with another body is refused
instead of being answered with someone else's entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from webapp.domain import Conflict
from webapp.timeutil import as_utc


def fingerprint(content: Mapping[str, Any]) -> str:
    """The SHA-256 of `content` as canonical JSON (sorted keys, no spaces, UTC times)."""
    canonical = json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_canonical
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def id_set(ids: Iterable[int]) -> list[int]:
    """Ids whose order and repeats mean nothing, in one canonical order."""
    return sorted(set(ids))


def check_replay(stored: str | None, sent: str) -> None:
    """Refuse a repeated client id whose body differs from the stored entry's.

    Entries stored before fingerprints existed (None) are answered as before."""
    if stored is not None and stored != sent:
        raise Conflict(
            _(
                "Something different was already saved under this entry's id. Check that "
                "yours is not saved already, then send it again as a new entry."
            ),
            field="client_id",
        )


def _canonical(value: Any) -> str:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    raise TypeError(f"no canonical form for {type(value).__name__}")
