"""Fingerprints of idempotent input: canonical, so equal input gives one fingerprint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from webapp.domain import Conflict
from webapp.idempotency import check_replay, fingerprint, id_set


def test_key_order_and_id_order_do_not_matter() -> None:
    assert fingerprint({"a": 1, "ids": id_set([3, 1, 3])}) == fingerprint(
        {"ids": id_set([1, 3]), "a": 1}
    )


def test_any_difference_in_content_does() -> None:
    base = {"cue": "A guest", "cost": None}
    assert fingerprint(base) != fingerprint({**base, "cue": "A guest "})
    assert fingerprint(base) != fingerprint({**base, "cost": 0})


def test_times_are_compared_as_instants() -> None:
    utc = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    amsterdam = utc.astimezone(timezone(timedelta(hours=2)))
    assert fingerprint({"at": utc}) == fingerprint({"at": amsterdam})


def test_a_replay_is_refused_only_when_the_body_differs(app) -> None:
    check_replay(fingerprint({"a": 1}), fingerprint({"a": 1}))
    check_replay(None, fingerprint({"a": 1}))  # stored before fingerprints existed
    with pytest.raises(Conflict) as refused:
        check_replay(fingerprint({"a": 1}), fingerprint({"a": 2}))
    assert refused.value.field == "client_id"
