"""Ids in URLs: anything outside what the database holds is a plain 404, on every database."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from webapp.routing import MAX_ID, SharedBuilderRule


@pytest.mark.parametrize(
    "path",
    [
        f"/moments/{MAX_ID + 1}",
        "/moments/99999999999999999999",
        f"/people/{MAX_ID + 1}",
        "/moments/0",
        f"/api/v1/moments/{MAX_ID + 1}",
        f"/seasons/{MAX_ID}",
    ],
)
def test_ids_out_of_range_are_not_found(client, auth, world, path):
    auth.login(world.staff.email)
    assert client.get(path).status_code == 404


def test_the_openapi_document_states_the_id_bounds(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    parameter = next(
        p
        for p in spec["paths"]["/api/v1/moments/{moment_id}"]["parameters"]
        if p["name"] == "moment_id"
    )
    assert parameter["schema"]["maximum"] == MAX_ID and parameter["schema"]["minimum"] == 1


def test_every_rule_builds_with_the_code_werkzeug_compiles_for_it(app, make_app):
    # The builders are compiled once per process and shared between apps (SharedBuilderRule):
    # each must still be exactly what werkzeug would compile for that very rule.
    rules = [rule for rule in app.url_map.iter_rules() if isinstance(rule, SharedBuilderRule)]
    assert len(rules) > 100
    for rule in rules:
        for append_unknown, builder in ((False, rule._build), (True, rule._build_unknown)):
            assert builder.__self__ is rule
            assert builder.__func__.__code__ == Rule._compile_builder(rule, append_unknown).__code__
    other = {rule.endpoint: rule for rule in make_app(app.config).url_map.iter_rules()}
    assert all(other[rule.endpoint]._build.__func__ is rule._build.__func__ for rule in rules)
    assert other["moments.detail"].build({"moment_id": 7, "q": "a b"}) == ("", "/moments/7?q=a+b")
