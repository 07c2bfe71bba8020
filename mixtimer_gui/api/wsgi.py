"""The action API as a plain WSGI callable (spec §1, DESIGN §4).

Order of checks, and why:

1. path and block (10404), then method (10405): nothing about the body matters yet; an
   ``OPTIONS`` carrying an ``Origin`` is a CORS preflight, answered for allowed origins only
   (Host and Origin checked as in step 3; it carries no token, as browsers send none);
2. size (10413) from ``Content-Length`` before reading anything;
3. the body is read and parsed, but a token check (10401) answers first, so a client without
   the token learns nothing, not even whether its JSON was valid; then who may call
   (``callers``, spec §1.1): ``Host`` and ``Origin`` (10403), ``Content-Type`` (10415). These
   three refusals log one line each (never the token) and their ``resp`` is ``""``;
4. format (10010), action (10011), the action of a catalogue path (10013), then the service.

On a catalogue path ``/{block}/v2/{entity}/{action}`` the body's ``action`` may be left out;
when given it must equal the path's last segment, else **10013** naming ``action``: the action
itself is known, the request contradicts itself, which is a parameter problem. A catalogue path
that names no action of the table is a wrong path (10404).

An answer to an allowed origin carries the CORS headers that let its page read it, whatever
the code; no other answer carries any. A query string is ignored; a trailing ``/`` on a path
is tolerated.

``GET /{block}/calendar.ics`` (#18) is the one read-only path that answers something other
than an envelope: the maintenance calendar as iCalendar, for calendar clients to subscribe
to. It passes the same caller checks (Host, Origin; no body, so no Content-Type) and, when a
token is configured, takes it from ``Authorization: Bearer`` or, because calendar clients
cannot set headers, from ``?token=``. ``?days=`` sets the fixed plans' horizon (default 90).
Its refusals are envelopes like every other.

Each request runs in its own transaction (the services open one per call) on its thread's
database connection (``ServiceContext.connection_scope``); a service's ``DomainError`` becomes
10013 with its message as ``info``; anything else is a bug: logged with its traceback and
answered 10500 without details.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from mixtimer_gui.api import envelope as env
from mixtimer_gui.api.actions import ACTIONS, CATALOGUE, Action
from mixtimer_gui.api.body import parse_object
from mixtimer_gui.api.callers import Callers, check_content_type, shown
from mixtimer_gui.api.envelope import Answer, ApiError
from mixtimer_gui.domain.errors import DomainError
from mixtimer_gui.exports.calendar_ics import build_calendar
from mixtimer_gui.services import Services
from mixtimer_gui.services.errors import StoreError
from mixtimer_gui.services.history import API, Actor

API_ACTOR = Actor(API)
log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
DEFAULT_BLOCK = "mixtimer"

_BLOCK = re.compile(r"[A-Za-z0-9_.\-]{1,64}")

StartResponse = Callable[..., Any]
CALENDAR_TYPE = "text/calendar; charset=utf-8"
DEFAULT_HORIZON_DAYS = 90


def _horizon(text: str) -> int:
    """``?days=`` of the calendar: whole days from 0 to 3660; a sentence otherwise."""
    if not text:
        return DEFAULT_HORIZON_DAYS
    if not text.isdigit() or not 0 <= int(text[:6]) <= 3660:
        raise ApiError(env.BAD_PARAMETER, f"days 应为 0 到 3660 之间的整数,收到 '{shown(text)}'")
    return int(text)


def check_block(block: str) -> str:
    """The path segment before ``/api``; ``ValueError`` for one a URL cannot carry as is."""
    block = block.strip().strip("/")
    if not _BLOCK.fullmatch(block):
        raise ValueError(f"block '{block}' 只能由 1–64 个字母、数字、'_'、'.'、'-' 组成")
    return block


class ActionApp:
    """``make_app``'s callable; attributes are read-only configuration."""

    def __init__(self, services: Services, block: str = DEFAULT_BLOCK,
                 token: str | None = None, max_body: int = MAX_BODY, *,
                 keep_connections: bool = False, callers: Callers | None = None) -> None:
        self.services = services
        self.callers = callers or Callers()
        self.keep_connections = keep_connections
        self.block = check_block(block)
        self.token = token.encode("utf-8") if token else None
        self.max_body = max_body
        self.api_path = f"/{self.block}/api"
        self.catalogue_prefix = f"/{self.block}/v2/"
        self.calendar_path = f"/{self.block}/calendar.ics"

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        if (environ.get("PATH_INFO") or "/").rstrip("/") == self.calendar_path:
            calendar = self.calendar(environ)
            if isinstance(calendar, bytes):
                start_response("200 OK", [("Content-Type", CALENDAR_TYPE),
                                          ("Content-Length", str(len(calendar))),
                                          ("Cache-Control", "no-store")])
                return [calendar]
            answer = calendar
        else:
            answer = self.answer(environ)
        body = answer.body()
        headers = [("Content-Type", env.JSON_CONTENT_TYPE), ("Content-Length", str(len(body))),
                   *answer.headers]
        start_response(answer.status, headers)
        return [body]

    def answer(self, environ: dict[str, Any]) -> Answer:
        answer = self._answer(environ)
        cors = self.callers.cors_headers(environ)
        return Answer(answer.envelope, answer.headers + cors) if cors else answer

    def _answer(self, environ: dict[str, Any]) -> Answer:
        action: Any = None
        try:
            path_action = self._route(environ.get("PATH_INFO") or "/")
            action = path_action.name if path_action else None
            if self.callers.is_preflight(environ):
                return self._preflight(environ)
            self._check_method(environ)
            data = self._read_and_authorise(environ)
            action = data.get("action", action)
            row = self._resolve(data, path_action)
            return self._dispatch(row, data)
        except ApiError as exc:
            if exc.code in env.REFUSALS:
                _log_refusal(environ, exc)
                action = None  # nothing of what a refused request sent is echoed
            return env.failure(action, exc.code, exc.info, exc.headers)
        except Exception:
            log.exception("unexpected error answering action %r", env.echo(action))
            return env.failure(action, env.INTERNAL, env.INTERNAL_INFO)

    # -- the calendar -----------------------------------------------------------------------

    def calendar(self, environ: dict[str, Any]) -> bytes | Answer:
        """The .ics bytes, or the envelope refusing the request."""
        try:
            method = environ.get("REQUEST_METHOD", "")
            if method not in ("GET", "HEAD"):
                raise ApiError(env.BAD_METHOD, f"日历只支持 GET,收到 {method[:20]}",
                               headers=(("Allow", "GET"),))
            query = parse_qs(str(environ.get("QUERY_STRING") or ""), max_num_fields=20)
            token = query.get("token", [""])[0]
            self._authorise(environ, {"token": token} if token else None)
            self.callers.check(environ)
            days = _horizon(query.get("days", [""])[0])
            with self.services.ctx.connection_scope(keep=self.keep_connections):
                items = self.services.calendar.occurrences(days)
            return build_calendar(items, self.services.clock.now())
        except ApiError as exc:
            if exc.code in env.REFUSALS:
                _log_refusal(environ, exc)
            return env.failure(None, exc.code, exc.info, exc.headers)
        except StoreError as exc:
            log.warning("the calendar could not be read: %s", exc)
            return env.failure(None, env.UNAVAILABLE, str(exc))
        except Exception:
            log.exception("unexpected error answering the calendar")
            return env.failure(None, env.INTERNAL, env.INTERNAL_INFO)

    # -- the steps ------------------------------------------------------------------------

    def _route(self, path: str) -> Action | None:
        """``None`` for the API path; the catalogue row for a catalogue path; else 10404."""
        if path != "/" and path.endswith("/"):
            path = path[:-1]
        if path == self.api_path:
            return None
        if path.startswith(self.catalogue_prefix):
            parts = path[len(self.catalogue_prefix):].split("/")
            row = CATALOGUE.get((parts[0], parts[1])) if len(parts) == 2 else None
            if row is not None:
                return row
        raise ApiError(env.BAD_PATH, f"路径 '{path[:200]}' 不存在,请向 {self.api_path} 发送 "
                       "POST 请求")

    def _preflight(self, environ: dict[str, Any]) -> Answer:
        """A CORS preflight: an envelope with the permissions, for an allowed origin."""
        self.callers.check(environ)
        return Answer(env.success("", {}).envelope, self.callers.preflight_headers(environ))

    @staticmethod
    def _check_method(environ: dict[str, Any]) -> None:
        method = environ.get("REQUEST_METHOD", "")
        if method != "POST":
            raise ApiError(env.BAD_METHOD, f"不支持 {method[:20]} 方法,请使用 POST 发送 JSON",
                           headers=(("Allow", "POST"),))

    def _read_and_authorise(self, environ: dict[str, Any]) -> dict[str, Any]:
        raw = self._read_body(environ)
        try:
            data: dict[str, Any] | None = parse_object(raw)
            problem: ApiError | None = None
        except ApiError as exc:
            data, problem = None, exc
        self._authorise(environ, data)
        self.callers.check(environ)
        check_content_type(environ)
        if problem is not None:
            raise problem
        assert data is not None
        data.pop("token", None)  # a credential, not a parameter: never passed on
        return data

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        stream = environ.get("wsgi.input")
        length_text = str(environ.get("CONTENT_LENGTH") or "").strip()
        if length_text:
            try:
                length = int(length_text)
            except ValueError:
                raise ApiError(env.BAD_FORMAT, "Content-Length 不是整数") from None
            if length > self.max_body:
                raise ApiError(env.TOO_LARGE, self._too_large(length))
            raw = stream.read(length) if stream is not None and length > 0 else b""
        elif stream is not None and environ.get("wsgi.input_terminated"):
            raw = stream.read(self.max_body + 1)
        else:
            raw = b""
        if len(raw) > self.max_body:
            raise ApiError(env.TOO_LARGE, self._too_large(len(raw)))
        return raw

    def _too_large(self, size: int) -> str:
        return (f"请求体过大({size} 字节),上限 {self.max_body} 字节;"
                "请分页读取或分批写入")

    def _authorise(self, environ: dict[str, Any], data: dict[str, Any] | None) -> None:
        if self.token is None:
            return
        header = str(environ.get("HTTP_AUTHORIZATION") or "")
        if header:
            scheme, _, credential = header.strip().partition(" ")
            given = (credential.strip().encode("latin-1", "replace")
                     if scheme.lower() == "bearer" else b"")
        else:
            field = data.get("token") if data is not None else None
            given = field.encode("utf-8") if isinstance(field, str) else b""
        if not given or not hmac.compare_digest(given, self.token):
            raise ApiError(env.UNAUTHORIZED, "缺少或错误的令牌:请在请求头 Authorization: "
                           "Bearer <令牌> 或请求体的 token 字段中给出正确的令牌",
                           headers=(("WWW-Authenticate", 'Bearer realm="mixtimer"'),))

    @staticmethod
    def _resolve(data: dict[str, Any], path_action: Action | None) -> Action:
        action = data.get("action")
        if path_action is not None:
            if action is None or action == "":
                data["action"] = path_action.name
                return path_action
            if action != path_action.name:
                shown = action[:60] if isinstance(action, str) else type(action).__name__
                raise ApiError(env.BAD_PARAMETER, f"action '{shown}' 与请求路径中的 "
                               f"'{path_action.name}' 不一致,请删去 action 或改为 "
                               f"'{path_action.name}'")
            return path_action
        if action is None or action == "":
            raise ApiError(env.UNKNOWN_ACTION, "缺少 action,请给出要执行的操作,如 "
                           "\"get_v2_project_list\"")
        row = ACTIONS.get(action) if isinstance(action, str) else None
        if row is None:
            shown = action[:60] if isinstance(action, str) else type(action).__name__
            raise ApiError(env.UNKNOWN_ACTION, f"未知的 action '{shown}',可用的操作:"
                           f"{', '.join(ACTIONS)}")
        return row

    def _dispatch(self, row: Action, data: dict[str, Any]) -> Answer:
        try:
            ctx = self.services.ctx
            # The request's own created_by is its operator (0 when it gives none); the
            # history says it came through the API.
            with ctx.connection_scope(keep=self.keep_connections), ctx.acting(API_ACTOR):
                result = row.call(self.services, data)
        except DomainError as exc:
            return env.failure(row.name, env.BAD_PARAMETER, exc.message)
        except StoreError as exc:
            # Disk full, read-only or locked: the store already said what to do, and nothing
            # was written. The client may retry once the condition is gone.
            log.warning("action %s refused by the database: %s", row.name, exc)
            return env.failure(row.name, env.UNAVAILABLE, str(exc))
        return env.success(row.name, result)


class UnavailableApp(ActionApp):
    """Every well-formed, authorised action answered 10503 with ``sentence``, nothing
    opened: what ``serve`` answers while it upgrades the database. Who may call, the token,
    the path, the method and the size are checked as always."""

    def __init__(self, sentence: str, block: str = DEFAULT_BLOCK, token: str | None = None,
                 max_body: int = MAX_BODY, *, callers: Callers | None = None) -> None:
        super().__init__(None, block, token, max_body,  # type: ignore[arg-type]
                         callers=callers)
        self.sentence = sentence

    def _dispatch(self, row: Action, data: dict[str, Any]) -> Answer:
        return env.failure(row.name, env.UNAVAILABLE, self.sentence)


def _log_refusal(environ: dict[str, Any], exc: ApiError) -> None:
    """One line per refused caller: what it named, never what it authorised with."""
    heard = {name: shown(str(environ[key])) for name, key in (
        ("Host", "HTTP_HOST"), ("Origin", "HTTP_ORIGIN"), ("Content-Type", "CONTENT_TYPE"))
        if environ.get(key) is not None}
    log.warning("refused %s %r from %s with %d: %r", str(environ.get("REQUEST_METHOD"))[:10],
                shown(str(environ.get("PATH_INFO") or "/")),
                environ.get("REMOTE_ADDR") or "?", exc.code, heard)


def make_app(services: Services, block: str = DEFAULT_BLOCK, token: str | None = None,
             max_body: int = MAX_BODY, *, keep_connections: bool = False,
             callers: Callers | None = None) -> ActionApp:
    """The WSGI application serving ``services`` at ``/{block}/api`` (and catalogue paths).

    ``keep_connections``: see ``ServiceContext.connection_scope``; only for threads that
    release their connection when they stop (``ApiServer``'s workers). ``callers``: the hosts
    and origins allowed besides loopback names (spec §1.1).
    """
    return ActionApp(services, block=block, token=token, max_body=max_body,
                     keep_connections=keep_connections, callers=callers)
