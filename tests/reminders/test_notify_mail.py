"""The e-mail channel against a local SMTP server (aiosmtpd): the daily digest at its time,
once a day whichever process sends it, in Chinese."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.notify import senders
from mixtimer_gui.notify.worker import DeliveryWorker
from mixtimer_gui.reminders.engine import ReminderEngine
from mixtimer_gui.services import Services

HOUR = 3600


class Inbox:
    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def mail_channel(port: int, **settings: Any) -> dict[str, Any]:
    return {"name": "维保组邮件", "kind": "email", "kinds": ["日报"],
            "settings": {"host": "127.0.0.1", "port": port, "security": "none",
                         "sender": "mixtimer@plant.cn",
                         "recipients": "zhang@plant.cn, li@plant.cn", **settings}}


def test_the_digest_goes_out_once_a_day_at_its_time(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    services.objects.create({"uid": "CNC-1", "name": "三号数控机床"})
    make_project(["CNC-1"], name="导轨润滑", period_num=1, notice_num=1)  # due in a day
    services.notify.save_channel(mail_channel(port, digest_time="10:30"))
    fake_clock.advance(HOUR)  # 10:00 local: not yet
    assert DeliveryWorker(services).run_once() == []
    fake_clock.advance(HOUR)  # 11:00
    [sent] = DeliveryWorker(services).run_once()
    assert sent.ok, sent.answer
    assert DeliveryWorker(services, worker_id="another").run_once() == []
    [mail] = handler.mails
    assert mail["Subject"].startswith("维保日报 2024-05-11:1 项需要处理")
    assert mail["To"] == "zhang@plant.cn, li@plant.cn"
    body = mail.get_content()
    assert "导轨润滑 · 三号数控机床" in body and "即将到期" in body and "**" not in body
    fake_clock.advance(24 * HOUR)
    [next_day] = DeliveryWorker(services).run_once()
    assert next_day.ok and len(handler.mails) == 2
    assert handler.mails[1]["Subject"].startswith("维保日报 2024-05-12")


def test_reminders_by_mail_are_sent_as_they_fire(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    make_project()
    services.notify.save_channel({**mail_channel(port), "kinds": ["即将到期", "到期"]})
    fake_clock.advance(24 * HOUR)
    ReminderEngine(services).scan()
    [sent] = DeliveryWorker(services).run_once()
    assert sent.ok
    [mail] = handler.mails
    assert mail["Subject"] == "维保即将到期"


# -- encrypted connections: STARTTLS and SSL against a local server with its own CA ---------

USER, PASSWORD = "mixtimer@plant.cn", "s3cret-mail-pass"


@pytest.fixture
def certificate_authority() -> Any:
    trustme = pytest.importorskip("trustme")
    return trustme.CA()


def _server_context(ca: Any) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def _password_check(server: Any, session: Any, envelope: Any, mechanism: str,
                    auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(),
                                                   auth_data.password.decode()) == (USER,
                                                                                    PASSWORD)
    return AuthResult(success=ok)


@pytest.fixture
def tls_inbox(certificate_authority: Any, request: pytest.FixtureRequest
              ) -> Iterator[tuple[Inbox, int]]:
    """A server that takes mail only over TLS and after a login: STARTTLS on a plain port,
    or SSL from the first byte (``request.param``)."""
    handler, port = Inbox(), free_port()
    server = _server_context(certificate_authority)
    # aiosmtpd offers AUTH under TLS only after STARTTLS: on an SSL port it must be told
    # that the connection is already encrypted
    tls = ({"tls_context": server, "require_starttls": True} if request.param == "starttls"
           else {"ssl_context": server, "auth_require_tls": False})
    controller = Controller(handler, hostname="127.0.0.1", port=port, auth_required=True,
                            authenticator=_password_check, **tls)
    controller.start()
    yield handler, port
    controller.stop()


def _trusting(ca: Any) -> Callable[[], ssl.SSLContext]:
    def context() -> ssl.SSLContext:
        made = ssl.create_default_context()
        ca.configure_trust(made)
        return made
    return context


def _owe_a_reminder_by_mail(services: Services, clock: FakeClock,
                            make_project: Callable[..., str], port: int, security: str) -> None:
    """A channel that logs in over ``security``, and a reminder fired for it."""
    make_project()
    services.notify.save_channel({**mail_channel(port, security=security, username=USER,
                                                 password=PASSWORD),
                                  "kinds": ["即将到期"]})
    clock.advance(24 * HOUR)
    ReminderEngine(services).scan()


# The SSL server is encrypted from the first byte, which aiosmtpd cannot tell: it warns that
# AUTH is offered without STARTTLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize("tls_inbox", ["starttls", "ssl"], indirect=True)
def test_mail_goes_over_tls_with_a_login(services: Services, fake_clock: FakeClock,
                                         make_project: Callable[..., str],
                                         tls_inbox: tuple[Inbox, int],
                                         certificate_authority: Any,
                                         monkeypatch: pytest.MonkeyPatch,
                                         request: pytest.FixtureRequest) -> None:
    handler, port = tls_inbox
    monkeypatch.setattr(senders, "tls_context", _trusting(certificate_authority))
    _owe_a_reminder_by_mail(services, fake_clock, make_project, port,
                            request.node.callspec.params["tls_inbox"])
    [sent] = DeliveryWorker(services).run_once()
    assert sent.ok, sent.answer
    [mail] = handler.mails
    assert mail["Subject"] == "维保即将到期"


@pytest.mark.expect_log(logger="mixtimer_gui.notify.worker")
# The SSL server is encrypted from the first byte, which aiosmtpd cannot tell: it warns that
# AUTH is offered without STARTTLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize("tls_inbox", ["starttls", "ssl"], indirect=True)
def test_a_server_that_cannot_prove_its_name_gets_no_password(
        services: Services, fake_clock: FakeClock, make_project: Callable[..., str],
        tls_inbox: tuple[Inbox, int], request: pytest.FixtureRequest) -> None:
    """Certificates are checked against the system's authorities: a self-made one is
    refused before the login, the answer says so, and nothing is delivered."""
    handler, port = tls_inbox
    _owe_a_reminder_by_mail(services, fake_clock, make_project, port,
                            request.node.callspec.params["tls_inbox"])
    [tried] = DeliveryWorker(services).run_once()
    assert not tried.ok and "CERTIFICATE_VERIFY_FAILED" in tried.answer
    assert PASSWORD not in tried.answer
    assert handler.mails == []
