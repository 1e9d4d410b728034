"""A real worker process (manage.py db_worker) and a real SMTP server: at the minute, not before; killed, resumed.

They run on PostgreSQL, where the worker, in its own process, reads the
test database while the test writes to it.
"""

import asyncio
import collections
import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from alerts.models import Delivery, Subscription
from newsroom import services as publishing
from tests.factories import make_release
from tests.real_services import free_port, smtp_sink

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent


class Inbox:
    """An SMTP server's handler that keeps each message with the moment it accepted it."""

    def __init__(self, delay: float = 0.0):
        self.received: list[tuple[float, email.message.EmailMessage]] = []
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        # Kept as soon as the final "." arrives, as a mail server queues it, then answered slowly.
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append((time.time(), message))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def to(self, subject_pattern: str = "") -> list[str]:
        return [m["To"] for _at, m in self.received if re.search(subject_pattern, str(m["Subject"]))]


@pytest.fixture
def smtp():
    inbox = Inbox()
    with smtp_sink(inbox) as port:
        yield port, inbox


@pytest.fixture
def database(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database on PostgreSQL only (DATABASE_URL)")
    return settings.DATABASES["default"]


class Worker:
    """`manage.py db_worker` in its own process, on the test database and the test SMTP server."""

    def __init__(self, smtp_port: int, log: Path, **env):
        db = settings.DATABASES["default"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def wait_for(condition, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def smtp_settings(port: int):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    )


@pytest.mark.minute
def test_subscriber_gets_a_scheduled_release_at_its_minute_not_before_and_unsubscribes_in_one_click(
    client, database, smtp, tmp_path, django_user_model
):
    port, inbox = smtp
    with smtp_settings(port):
        response = client.post(
            "/en/alerts/",
            {"email": "ann@example.org", "topic": "all", "language": "en", "frequency": "immediate"},
        )
    assert response.status_code == 200
    [(_at, confirmation)] = inbox.received
    link = re.search(r"https?://\S+/confirm/\S+/", confirmation.get_body(("plain",)).get_content()).group(0)
    client.post(link.split(settings.SITE_URL, 1)[1])
    assert Subscription.objects.get().is_confirmed

    # The next whole minute at least 20 seconds away: scheduled, and another pulled back before it.
    now = timezone.now()
    minute = (now + timezone.timedelta(seconds=80)).replace(second=0, microsecond=0)
    release = make_release(published_at=minute, title_en="At the minute")
    withdrawn = make_release(published_at=minute, title_en="Pulled back")
    # A transactional test starts without the roles' groups: a superuser publishes.
    publisher = django_user_model.objects.create_superuser("desk", "desk@example.org", "a-long-test-password")
    worker = Worker(port, tmp_path / "worker.log")
    worker.start()
    try:
        publishing.unpublish_release(release=withdrawn, by=publisher)
        assert not wait_for(
            lambda: len(inbox.received) > 1, timeout=max(0, minute.timestamp() - time.time() - 1)
        )
        assert wait_for(lambda: len(inbox.received) > 1, timeout=30), (tmp_path / "worker.log").read_text()
        time.sleep(2)
    finally:
        worker.stop()
    alerts = inbox.received[1:]
    assert [str(message["Subject"]) for _at, message in alerts] == ["At the minute"]
    accepted_at, alert = alerts[0]
    assert accepted_at >= minute.timestamp()
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert release.summary_en in alert.get_body(("plain",)).get_content()

    unsubscribe = alert["List-Unsubscribe"].strip("<>")
    response = client.post(unsubscribe.split(settings.SITE_URL, 1)[1], {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.count() == 0 and Delivery.objects.count() == 0


def test_a_worker_killed_mid_batch_resumes_without_duplicates_or_gaps(database, tmp_path):
    inbox = Inbox(delay=0.01)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    count = 300
    confirmed_at = timezone.now() - timezone.timedelta(days=1)
    Subscription.objects.bulk_create(
        Subscription(email=f"reader{n}@example.org", confirmed_at=confirmed_at) for n in range(count)
    )
    worker = Worker(
        controller.port, tmp_path / "worker.log", ALERTS_BATCH_SIZE="40", ALERTS_CLAIM_SECONDS="2"
    )
    try:
        worker.start()
        make_release(published_at=timezone.now() - timezone.timedelta(minutes=1), title_en="Everyone")
        assert wait_for(lambda: len(inbox.received) >= 70, timeout=60), (tmp_path / "worker.log").read_text()
        worker.kill()
        killed_at = len(inbox.received)
        assert killed_at < count
        # Past the dead worker's claim, a new worker takes over what it left.
        time.sleep(2.5)
        worker.start()
        assert wait_for(lambda: Delivery.objects.filter(status="sent").count() == count, timeout=90), (
            tmp_path / "worker.log"
        ).read_text()
        time.sleep(1)
    finally:
        worker.stop()
        controller.stop()
    received = collections.Counter(inbox.to())
    assert len(received) == count
    assert max(received.values()) == 1
