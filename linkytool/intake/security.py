"""Guards shared by linkytool's two HTTP front ends (``serve`` and the photo intake).

A random token in the URL path (compared in constant time), a Host header limited to the
addresses the server was started for (a DNS-rebinding page cannot name them), and an
Origin header, when a browser sends one, limited to the served origin (browsers do not
apply the same-origin rule to WebSockets, so any page could otherwise connect).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from aiohttp import web

#: Loopback names a local browser may use for a server bound to loopback.
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
#: Bytes of randomness in a token [B] (128 bits: not guessable over a network).
TOKEN_BYTES = 16


def new_token() -> str:
    """A fresh URL-safe random token (22 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_matches(given: str, expected: str) -> bool:
    """``given == expected`` in constant time (no timing hint about a partial match)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def url_host(address: str) -> str:
    """``address`` as it appears in a URL or a Host header (IPv6 in brackets)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    return f"[{parsed}]" if parsed.version == 6 else str(parsed)


def is_loopback(address: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the name ``localhost``."""
    if address.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Guard:
    """What a request must carry: the token as first path segment, an allowed Host and,
    when present, an allowed Origin."""

    token: str
    hosts: frozenset[str]  # "host:port", lower case
    origins: frozenset[str]  # "http://host:port"

    @classmethod
    def for_addresses(cls, token: str, names: Iterable[str], port: int) -> Guard:
        """The guard of a plain-HTTP server reached as ``http://NAME:port`` for ``names``."""
        hosts = frozenset(f"{url_host(name).lower()}:{port}" for name in names)
        return cls(token, hosts, frozenset(f"http://{host}" for host in hosts))

    def refusal(self, request: web.Request) -> web.HTTPException | None:
        """The HTTP error to answer ``request`` with, or None when it may go on."""
        host = (request.headers.get("Host") or "").lower()
        if host not in self.hosts:
            return web.HTTPForbidden(text="Adresse refusée (en-tête Host inattendu).\n")
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() not in self.origins:
            return web.HTTPForbidden(text="Origine refusée : page d'un autre site.\n")
        first = request.path.lstrip("/").split("/", 1)[0]
        if not token_matches(first, self.token):
            return web.HTTPUnauthorized(
                text="Lien incomplet ou expiré : ouvrez l'adresse complète affichée par "
                "linkytool (avec son jeton).\n"
            )
        return None

    def middleware(self) -> Callable[..., Awaitable[web.StreamResponse]]:
        """An aiohttp middleware refusing every request that :meth:`refusal` refuses."""

        @web.middleware
        async def guard(
            request: web.Request,
            handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
        ) -> web.StreamResponse:
            refused = self.refusal(request)
            if refused is not None:
                refused.headers["Cache-Control"] = "no-store"
                raise refused
            return await handler(request)

        return guard


__all__ = [
    "LOOPBACK_HOSTS",
    "TOKEN_BYTES",
    "Guard",
    "is_loopback",
    "new_token",
    "token_matches",
    "url_host",
]
