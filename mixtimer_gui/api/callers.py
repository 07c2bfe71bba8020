"""Who may call the action API (spec §1.1): the ``Host`` a request names, the ``Origin`` a
browser adds, the ``Content-Type`` it declares.

A server on a workstation must not be drivable by a web page the supervisor has open. A
browser lets any page send a "simple" cross-origin POST (``text/plain``, an HTML form) to
127.0.0.1 without asking first, and DNS rebinding lets a hostile name resolve to 127.0.0.1 so
that the page may even read the answers. Each check closes one of those doors:

- ``Content-Type`` must be JSON: neither a form nor a simple request can send
  ``application/json``; a page that sets it must ask first (a CORS preflight), and only an
  allowed origin gets a yes;
- ``Origin``: browsers add it to cross-origin requests; one that names no allowed origin is
  refused, whatever else the request says;
- ``Host``: under DNS rebinding the browser names the hostile host; only loopback names (with
  the server's own port) and the names the operator allowed pass.

Every refusal is a 10403 or 10415 with a sentence for the one who can fix it; none reflects
what the request sent beyond the refused header itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.envelope import ApiError

LOOPBACK_NAMES = frozenset(("127.0.0.1", "localhost", "[::1]"))
JSON_TYPE = "application/json"
_DEFAULT_PORTS = {"http": 80, "https": 443}
# A host as the Host header carries it: a DNS name or IPv4 address, or an IPv6 address in
# brackets; then an optional port.
_HOST = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(?P<port>[0-9]{1,5}))?")
_SHOWN = 100  # of a header value quoted in an answer or the log
# Preflight answers may be cached this long by the browser (seconds).
PREFLIGHT_MAX_AGE = "600"
PREFLIGHT_HEADERS = "Authorization, Content-Type"

Environ = Mapping[str, Any]


def shown(value: str) -> str:
    """A header value cut to a size fit for an answer or a log line."""
    return value[:_SHOWN] + ("…" if len(value) > _SHOWN else "")


def _split_host(text: str) -> tuple[str, int | None] | None:
    match = _HOST.fullmatch(text.strip().lower())
    if match is None:
        return None
    port = match["port"]
    if port is not None and not 0 < int(port) <= 65535:
        return None
    return match["name"], int(port) if port is not None else None


def allowed_host(text: str) -> tuple[str, int | None]:
    """An operator's ``--allow-host`` value as (name, port or ``None`` = the server's port);
    ``ValueError`` with a sentence for one that names no single host."""
    value = text.strip()
    if ":" in value and not value.startswith("[") and value.count(":") > 1:
        value = f"[{value}]"  # a bare IPv6 address
    parts = _split_host(value)
    if parts is None or parts[0].strip(".") == "":
        raise ValueError(f"允许的主机名 '{shown(text)}' 无效:应为一个主机名或 IP 地址,"
                         "可带端口,如 workstation.local 或 192.168.1.5:8848")
    return parts


def allowed_origin(text: str) -> str:
    """An operator's ``--allow-origin`` value as a browser writes an origin
    (``http://host:port``, lower case, no default port); ``ValueError`` otherwise."""
    value = text.strip().rstrip("/").lower()
    problem = (f"允许的来源 '{shown(text)}' 无效:应为网页的来源,如 http://dashboard.local:8080"
               "(协议 http 或 https、主机名、可带端口,不含路径)")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise ValueError(problem) from None
    if (parts.scheme not in _DEFAULT_PORTS or not parts.hostname or parts.path
            or parts.query or parts.fragment or "@" in parts.netloc or "*" in value):
        raise ValueError(problem)
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is None or port == _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{name}"
    return f"{parts.scheme}://{name}:{port}"


def _server_port(environ: Environ) -> int:
    try:
        return int(str(environ.get("SERVER_PORT") or 0))
    except ValueError:
        return 0


def _header(environ: Environ, name: str) -> str | None:
    value = environ.get(name)
    return None if value is None else str(value)


@dataclass(frozen=True)
class Callers:
    """The hosts and origins a server accepts besides loopback names without an Origin."""

    hosts: frozenset[tuple[str, int | None]] = frozenset()
    origins: frozenset[str] = frozenset()

    @classmethod
    def of(cls, hosts: Iterable[str] = (), origins: Iterable[str] = ()) -> Callers:
        """From the operator's words (``--allow-host``, ``--allow-origin``, Settings);
        ``ValueError`` with a sentence naming the first bad one."""
        return cls(frozenset(allowed_host(h) for h in hosts if h.strip()),
                   frozenset(allowed_origin(o) for o in origins if o.strip()))

    def with_bound_address(self, address: str) -> Callers:
        """Also accept the address the server was bound to, as clients then name it.
        A wildcard bind names no host; an IP literal cannot be rebound by DNS."""
        if address in ("", "0.0.0.0", "::"):
            return self
        return Callers(self.hosts | {allowed_host(address)}, self.origins)

    # -- the checks -------------------------------------------------------------------------

    def check(self, environ: Environ) -> None:
        """Host, then Origin; ``ApiError(10403)`` for the first that is not allowed."""
        self.check_host(environ)
        self.check_origin(environ)

    def check_host(self, environ: Environ) -> None:
        if self.allows_host(environ):
            return
        header = _header(environ, "HTTP_HOST")
        given = "缺少 Host 请求头" if header is None else f"请求头 Host '{shown(header)}' 不被允许"
        raise ApiError(env.FORBIDDEN, f"{given}:请以 http://127.0.0.1:{_server_port(environ)} "
                       "访问;其他主机名须由管理员允许(serve --allow-host 或设置)")

    def allows_host(self, environ: Environ) -> bool:
        header = _header(environ, "HTTP_HOST")
        parts = _split_host(header) if header is not None else None
        if parts is None:
            return False
        name, port = parts
        server_port = _server_port(environ)
        if port is None:
            port = _DEFAULT_PORTS.get(str(environ.get("wsgi.url_scheme") or "http"), 80)
        if name in LOOPBACK_NAMES and port == server_port:
            return True
        return any(name == allowed and port == (allowed_port or server_port)
                   for allowed, allowed_port in self.hosts)

    def check_origin(self, environ: Environ) -> None:
        origin = _header(environ, "HTTP_ORIGIN")
        if origin is not None and not self.allows_origin(origin):
            raise ApiError(env.FORBIDDEN, f"来自网页 '{shown(origin)}' 的请求被拒绝:浏览器中的"
                           "网页不能调用本接口,除非管理员允许该来源(serve --allow-origin 或设置)")

    def allows_origin(self, origin: str) -> bool:
        return origin.strip().lower() in self.origins

    # -- CORS -------------------------------------------------------------------------------

    def cors_headers(self, environ: Environ) -> tuple[tuple[str, str], ...]:
        """What lets an allowed origin's page read an answer (through an allowed host);
        nothing for anyone else."""
        origin = _header(environ, "HTTP_ORIGIN")
        if origin is None or not self.allows_origin(origin) or not self.allows_host(environ):
            return ()
        return (("Access-Control-Allow-Origin", origin.strip()), ("Vary", "Origin"))

    @staticmethod
    def is_preflight(environ: Environ) -> bool:
        return (environ.get("REQUEST_METHOD") == "OPTIONS"
                and _header(environ, "HTTP_ORIGIN") is not None)

    def preflight_headers(self, environ: Environ) -> tuple[tuple[str, str], ...]:
        """The answer to a CORS preflight from an allowed origin (checked before): POST
        with the two headers a client needs, JSON and the token."""
        headers = (("Access-Control-Allow-Methods", "POST"),
                   ("Access-Control-Allow-Headers", PREFLIGHT_HEADERS),
                   ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE))
        # Chrome asks before a public page may reach a private address; the operator
        # allowed this origin, so the answer is yes.
        if str(environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK", "")).lower() == "true":
            headers += (("Access-Control-Allow-Private-Network", "true"),)
        return headers


def check_content_type(environ: Environ) -> None:
    """``application/json`` (parameters such as ``charset`` allowed), else 10415."""
    value = _header(environ, "CONTENT_TYPE")
    if value is not None and value.split(";", 1)[0].strip().lower() == JSON_TYPE:
        return
    given = "缺少 Content-Type" if not value else f"Content-Type '{shown(value)}' 不是 JSON"
    raise ApiError(env.UNSUPPORTED_TYPE, f"{given}:请以 Content-Type: {JSON_TYPE} 发送 JSON "
                   "请求体")
