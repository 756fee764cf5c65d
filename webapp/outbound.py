"""Calls to addresses that users supply (push endpoints, team webhooks): only `https` to
public addresses, checked when the address is saved *and* when connecting, never following a
redirect, within a time budget.

A user who can register a URL can otherwise make the server call itself, the cloud metadata
service or the office network. Checking only when the URL is saved is not enough: its name
can resolve elsewhere later (DNS rebinding). So `post` resolves the name, refuses if any
address is not public, and connects to the address it checked, with the name kept for TLS
(SNI and certificate) and the Host header.

Tests call a listener on 127.0.0.1, which these rules rightly refuse. They name it, explicitly,
in `OUTBOUND_TEST_TARGETS` ("host:port" strings) with the certificate it presents in
`OUTBOUND_TEST_CA_FILE`; both are honoured only by an app with TESTING set, never in a
deployment, and only for exactly those host and port pairs.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

import urllib3
from flask import current_app, has_app_context

ALLOWED_PORTS = {443, 8443}
MAX_URL_LENGTH = 2048
MAX_RESPONSE_BYTES = 64 * 1024


class UnsafeAddress(ValueError):
    """The URL is not one the server will call; the message says why (in English, for logs
    and for the field message's detail)."""


class Unresolved(UnsafeAddress):
    """The host name does not resolve (now)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect and what to ask for there."""

    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """What the other side said."""

    status: int
    headers: dict[str, str]
    body: bytes


def check_url(url: str, resolve: bool = True) -> Target:
    """Refuse anything but `https://public-host[:443|8443]/...`; with `resolve`, the name
    must resolve, and only to public addresses."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        raise UnsafeAddress("not a URL of a sensible length")
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError as error:
        raise UnsafeAddress(f"not a valid URL: {error}") from None
    if parts.scheme != "https":
        raise UnsafeAddress("only https addresses are called")
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeAddress("the address needs a host name and no user or password")
    host = parts.hostname.rstrip(".").lower()
    if _test_target(host, port):
        return Target(host=host, port=port, path=_path(parts), addresses=(host.strip("[]"),))
    if port not in ALLOWED_PORTS:
        raise UnsafeAddress(f"port {port} is not called (use 443)")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise UnsafeAddress("a local host name")
    _refuse_private_literal(host)
    addresses = resolve_public(host, port) if resolve else ()
    return Target(host=host, port=port, path=_path(parts), addresses=addresses)


def check_saved_url(url: str) -> Target:
    """When an address is saved: every rule of `check_url`, and, if its name resolves now,
    only to public addresses. A name that does not resolve yet is kept: calling it resolves
    again and refuses then (so does a name that moves to a private address later)."""
    target = check_url(url, resolve=False)
    if _test_target(target.host, target.port):
        return target
    try:
        addresses = resolve_public(target.host, target.port)
    except Unresolved:
        return target
    return Target(target.host, target.port, target.path, addresses)


def _path(parts: SplitResult) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _test_target(host: str, port: int) -> bool:
    """Is this exactly a listener a test named (only ever in a TESTING app)?"""
    if not has_app_context() or not current_app.testing:
        return False
    return f"{host}:{port}" in set(current_app.config.get("OUTBOUND_TEST_TARGETS") or ())


def _test_ca_file(target: Target) -> str | None:
    if not _test_target(target.host, target.port):
        return None
    return current_app.config.get("OUTBOUND_TEST_CA_FILE")


def resolve_public(host: str, port: int) -> tuple[str, ...]:
    """Every address `host` resolves to, all of them public; else UnsafeAddress."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Unresolved("the host name does not resolve") from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if not is_public(address):
            raise UnsafeAddress(f"the host resolves to a non-public address ({address})")
    if not addresses:
        raise Unresolved("the host name does not resolve")
    return addresses


def is_public(address: str) -> bool:
    """A globally routable unicast address (not private, loopback, link-local, reserved,
    multicast, shared or unspecified; IPv4-mapped IPv6 judged as the IPv4 inside)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float = 5.0,
    verify: bool = True,
    budget: float | None = None,
) -> Answer:
    """POST `body` to `url` after checking it again, connecting only to an address that was
    checked, within `timeout` seconds for connecting and the same for the answer, and
    `budget` seconds in all when given. Redirects are answers, never followed. Raises
    UnsafeAddress, or urllib3's errors on failure."""
    target = check_url(url, resolve=True)
    pool = urllib3.HTTPSConnectionPool(
        host=target.addresses[0],
        port=target.port,
        server_hostname=target.host,
        assert_hostname=target.host if verify else False,
        cert_reqs="CERT_REQUIRED" if verify else "CERT_NONE",
        ca_certs=_test_ca_file(target),
        timeout=urllib3.Timeout(connect=timeout, read=timeout, total=budget),
        retries=False,
        maxsize=1,
    )
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": _host_header(target)},
            redirect=False,
            preload_content=False,
        )
        data = response.read(MAX_RESPONSE_BYTES, decode_content=False)
        response.release_conn()
        return Answer(response.status, dict(response.headers), data)
    finally:
        pool.close()


def _host_header(target: Target) -> str:
    return target.host if target.port == 443 else f"{target.host}:{target.port}"


def _refuse_private_literal(host: str) -> None:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return  # a name; checked when it is resolved
    if not is_public(str(address)):
        raise UnsafeAddress(f"a non-public address ({address})")
