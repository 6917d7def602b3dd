"""The client's address, for login throttling (django-axes) and logs.

``X-Forwarded-For`` is written by whoever sends the request, so it is read only when the
connection comes from a reverse proxy listed in ``settings.TRUSTED_PROXIES`` (addresses or
networks; none by default). Then the header is walked from the right, skipping our own
proxies, and the first address not ours is the client: entries further left were written by
the client and prove nothing.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(_parse(remote), networks):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return remote  # a garbled header from our own proxy: do not guess
        if not _trusted(address, networks):
            return str(address)
    return remote
