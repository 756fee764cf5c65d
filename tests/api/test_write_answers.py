"""A write answers with what a read returns afterwards: the API answers from the objects it
just wrote (kept loaded after the commit, not read back), so nothing may differ from the
stored row — not a field, not a timestamp's form."""

from __future__ import annotations

from tests.api.conftest import ApiClient
from tests.api.test_kudos import kudos_payload
from tests.api.test_moments import moment_payload
from tests.factories import World


def test_a_logged_moment_answers_as_a_read_of_it_does(api: ApiClient, world: World) -> None:
    api.use_token(world.staff)
    written = api.post("moments", json=moment_payload(world))
    assert written.status_code == 201, written.get_json()
    answer = written.get_json()
    read = api.get(f"moments/{answer['id']}").get_json()
    assert answer == read
    assert answer["created_at"].endswith("+00:00")  # an instant says its zone


def test_given_kudos_answer_as_a_read_of_them_does(api: ApiClient, world: World) -> None:
    api.use_token(world.staff)
    written = api.post("kudos", json=kudos_payload(world))
    assert written.status_code == 201, written.get_json()
    given = written.get_json()["kudos"]
    listed = {k["id"]: k for k in api.get("kudos").get_json()["items"]}
    for kudos in given:
        assert kudos == listed[kudos["id"]]
