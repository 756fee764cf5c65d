"""Addresses users supply are called only over https, on public addresses, checked again at
connect time (a name may resolve elsewhere later)."""

from __future__ import annotations

import socket

import pytest

from webapp import outbound


@pytest.mark.parametrize(
    "url",
    [
        "http://push.example.com/x",
        "https://localhost/x",
        "https://api.localhost/x",
        "https://printer.local/x",
        "https://metadata.google.internal/x",
        "https://127.0.0.1/x",
        "https://[::1]/x",
        "https://10.0.0.5/x",
        "https://192.168.1.20/x",
        "https://172.16.0.1/x",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://[fe80::1]/x",
        "https://0.0.0.0/x",
        "https://224.0.0.1/x",
        "https://push.example.com:22/x",
        "https://user:pw@push.example.com/x",
        "https:///x",
        "https://push.example.com:99999/x",
        "x" * 3000,
    ],
)
def test_unsafe_addresses_are_refused_before_any_lookup(url):
    with pytest.raises(outbound.UnsafeAddress):
        outbound.check_url(url, resolve=False)


def test_a_public_https_address_passes_and_keeps_its_path():
    target = outbound.check_url("https://fcm.googleapis.com/fcm/send/abc?x=1", resolve=False)
    assert (target.host, target.port, target.path) == (
        "fcm.googleapis.com",
        443,
        "/fcm/send/abc?x=1",
    )


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "::1", "169.254.169.254"])
def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch, address):
    def fake(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(outbound.UnsafeAddress, match="non-public"):
        outbound.check_url("https://push.example.com/x")
    with pytest.raises(outbound.UnsafeAddress):
        outbound.post("https://push.example.com/x", b"{}", {})


def test_a_name_that_does_not_resolve_is_refused(monkeypatch):
    def fake(*args, **kwargs):
        raise socket.gaierror("no such name")

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(outbound.UnsafeAddress, match="does not resolve"):
        outbound.check_url("https://nowhere.example/x")


def test_public_addresses_are_public():
    assert outbound.is_public("8.8.8.8")
    assert outbound.is_public("2606:4700:4700::1111")
    assert not outbound.is_public("::ffff:10.0.0.1")


def test_a_named_test_listener_is_allowed_only_in_a_testing_app(app):
    url = "https://127.0.0.1:4567/hook"
    app.config["OUTBOUND_TEST_TARGETS"] = {"127.0.0.1:4567"}
    assert outbound.check_url(url).addresses == ("127.0.0.1",)
    for other in (
        "https://127.0.0.1:4568/hook",
        "https://10.0.0.1:4567/hook",
        "http://127.0.0.1:4567/",
    ):
        with pytest.raises(outbound.UnsafeAddress):
            outbound.check_url(other)
    app.testing = False  # a deployment: the same setting means nothing
    with pytest.raises(outbound.UnsafeAddress):
        outbound.check_url(url)
