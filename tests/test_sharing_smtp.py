"""Send this page through a real SMTP server on 127.0.0.1, and with the server gone."""

import email
import email.policy
import logging
from html import unescape
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from newsroom.models import NewsRelease
from sharing import limits
from tests.real_services import free_port, smtp_sink

VALID = {"sender_name": "Ann Smith", "sender_email": "ann@example.org", "recipient": "bob@example.net"}


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


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with smtp_sink(inbox) as port:
        yield port, inbox


@pytest.fixture
def release(reference):
    return NewsRelease.objects.get(slug_en="cross-border-crime")


def send_url(release, language: str) -> str:
    with translation.override(language):
        return f"{reverse('sharing:send')}?page={quote(release.get_absolute_url(), safe='/')}"


def test_page_delivered_by_smtp_is_french_with_links_and_replies_to_the_sender(client, release, smtp_server):
    port, inbox = smtp_server
    with smtp_settings(port):
        response = client.post(send_url(release, "fr"), VALID)
    assert response.status_code == 200
    assert "Page envoyée" in response.content.decode()

    [envelope] = inbox.envelopes
    assert envelope.mail_from == settings.DEFAULT_FROM_EMAIL
    assert envelope.rcpt_tos == ["bob@example.net"]
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    with translation.override("fr"):
        title, url = release.title, settings.SITE_URL + release.get_absolute_url()
    # Django folds a long encoded subject onto the next line; readers drop the fold's space.
    assert message["Subject"].strip() == f"Ann Smith vous a envoyé une page\u00a0: {title}"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["To"] == "bob@example.net"
    assert message["Reply-To"] == "ann@example.org"
    assert message["Content-Language"] == "fr"
    assert message["Cc"] is None and message["Bcc"] is None
    assert message.get_content_type() == "multipart/alternative"

    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Ann Smith (ann@example.org) vous envoie cette page" in text
    assert title in text and url in text
    assert "Envoyer cette page" in text
    assert '<html lang="fr">' in html
    assert f'<a href="{url}">' in html
    assert release.summary_fr[:60] in html


def test_smtp_server_down_says_the_message_was_not_sent_and_counts_nothing(client, release, caplog):
    caplog.set_level(logging.DEBUG)
    with smtp_settings(free_port()):
        response = client.post(send_url(release, "en"), VALID, REMOTE_ADDR="203.0.113.30")
    content = response.content.decode()
    assert response.status_code == 503
    assert "The message could not be sent" in content
    assert "The mail server did not accept the message, so nothing was sent." in content
    # The form comes back filled in, ready to try again.
    assert 'value="ann@example.org"' in content and 'value="bob@example.net"' in content
    assert mail.outbox == []
    assert not cache.get(limits.per_sender_ip().key("203.0.113.30"))
    assert not cache.get(limits.per_recipient().key("bob@example.net"))
    assert "bob@example.net" not in caplog.text and "ann@example.org" not in caplog.text


def test_smtp_server_down_message_is_in_french(client, release):
    with smtp_settings(free_port()):
        response = client.post(send_url(release, "fr"), VALID)
    assert response.status_code == 503
    assert "Le serveur de courriel n’a pas accepté le message" in unescape(response.content.decode())


def test_smtp_server_refusing_the_recipient_is_a_clear_failure(client, release, smtp_server):
    port, inbox = smtp_server

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 No such user here"

    inbox.handle_RCPT = refuse
    with smtp_settings(port):
        response = client.post(send_url(release, "en"), VALID)
    assert response.status_code == 503
    assert "The message could not be sent" in response.content.decode()
    assert inbox.envelopes == []
