"""Remembering computed values under keys that name everything the value depends on, so an
entry is never stale: it is only ever replaced by a new key (a new week, a new history
version), and old keys expire. Redis when REDIS_URL is set, shared by every process; else
this process's memory (`CACHE_TYPE` in config.py).

A cache that cannot be reached is not an error: the value is computed, as without a cache.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from webapp.extensions import cache

T = TypeVar("T")
log = logging.getLogger(__name__)


def remember(key: str, compute: Callable[[], T], timeout: int) -> T:
    """The value cached under `key`, or `compute()`'s, cached for `timeout` seconds."""
    try:
        found = cache.get(key)
    except Exception:  # a cache that is down must not take the page with it
        log.warning("cache: reading %s failed", key, exc_info=True)
        found = None
    if found is not None:
        return found
    value = compute()
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        log.warning("cache: writing %s failed", key, exc_info=True)
    return value


def digest(ids: Iterable[int]) -> str:
    """A short, order-free fingerprint of a set of ids, for a key."""
    text = ",".join(str(i) for i in sorted(set(ids)))
    return hashlib.blake2s(text.encode(), digest_size=12).hexdigest()
