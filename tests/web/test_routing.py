"""Ids in URLs: anything outside what the database holds is a plain 404, on every database."""

from __future__ import annotations

import pytest

from webapp.routing import MAX_ID


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
