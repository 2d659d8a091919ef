"""The client's network address, read through the reverse proxies the deployment trusts.

Behind a reverse proxy every request arrives from the proxy's address, and the client's own is
in `X-Forwarded-For`, which anyone can also send. The header is therefore read only as far as
the proxies listed in `TRUSTED_PROXIES` vouch for it: starting from the peer (REMOTE_ADDR), each
address that belongs to a trusted proxy hands over to the address it reported; the first one
that is not a trusted proxy is the client. With no trusted proxy (the default) the header is
ignored and the client is REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of the `TRUSTED_PROXIES` entries (single addresses or CIDR ranges)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from error
    return tuple(networks)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address_from(remote_addr: str, forwarded_for: str, trusted: Iterable[str]) -> str | None:
    """The client's address given the peer, the X-Forwarded-For header and the trusted proxies."""
    networks = trusted_networks(tuple(trusted))
    peer = _parse(remote_addr)
    if peer is None:
        return None
    hops = [hop for hop in forwarded_for.split(",") if hop.strip()] if networks else []
    current = peer
    while hops and any(current in network for network in networks):
        reported = _parse(hops.pop())
        if reported is None:  # a trusted proxy passed on garbage: stop at the proxy itself
            break
        current = reported
    return str(current)


def client_address(request: HttpRequest) -> str | None:
    """The address of the person behind this request (used by lockouts, rate limits, audit)."""
    return client_address_from(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.TRUSTED_PROXIES,
    )
