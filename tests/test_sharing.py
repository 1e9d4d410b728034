"""Send this page: the form, the e-mail, and everything it refuses."""

import datetime as dt
import logging
import socket
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from newsroom.models import NewsRelease
from sharing import limits
from sharing.public_pages import resolve_public_page
from sharing.services import send_page
from tests.factories import make_initiative, make_page, make_release

VALID = {"sender_name": "Ann Smith", "sender_email": "ann@example.org", "recipient": "bob@example.net"}


def path_of(obj, language: str) -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def send_url(page_path: str, language: str) -> str:
    with translation.override(language):
        return f"{reverse('sharing:send')}?page={quote(page_path, safe='/')}"


def stored_cache_keys() -> list:
    """Every key the cache holds, from the local-memory cache or from Redis."""
    if isinstance(cache._cache, dict):
        return list(cache._cache)
    return cache._cache.get_client().keys("*")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def release(reference):
    return NewsRelease.objects.get(slug_en="cross-border-crime")


# The form


@pytest.mark.parametrize("language", ["en", "fr"])
def test_release_initiative_and_standard_pages_link_to_their_send_form(client, db, language):
    pages = [make_release(), make_initiative(), make_page()]
    for obj in pages:
        path = path_of(obj, language)
        content = client.get(path).content.decode()
        link = send_url(path, language)
        assert f'href="{link}"' in content
        assert client.get(link).status_code == 200


def test_staff_preview_of_a_draft_offers_no_send_link(staff_client, db):
    draft = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    with translation.override("en"):
        response = staff_client.get(reverse("newsroom:preview", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    assert "Printable version" in response.content.decode()
    assert "Send this page" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "label", "button"),
    [("en", "Your name", "Send the page"), ("fr", "Votre nom", "Envoyer la page")],
)
def test_form_speaks_the_page_language(client, release, language, label, button):
    response = client.get(send_url(path_of(release, language), language))
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert label in content and button in content
    with translation.override(language):
        assert f'<a href="{release.get_absolute_url()}">{release.title}</a>' in unescape(content)


def test_form_page_sets_only_the_csrf_cookie_and_is_never_cached(client, release):
    page_response = client.get(path_of(release, "en"))
    assert not page_response.cookies
    response = client.get(send_url(path_of(release, "en"), "en"))
    assert set(response.cookies) == {settings.CSRF_COOKIE_NAME}
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control


def test_form_has_a_visually_hidden_honeypot_and_a_csrf_token(client, release):
    content = client.get(send_url(path_of(release, "en"), "en")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in content
    assert '<div class="sharing-trap" aria-hidden="true">' in content
    assert 'name="website"' in content
    assert "style=" not in content and "<script" not in content


def test_post_without_csrf_token_is_refused(release):
    client = Client(enforce_csrf_checks=True)
    response = client.post(send_url(path_of(release, "en"), "en"), VALID)
    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_mailto_link_carries_the_title_and_full_address(client, release, language):
    content = client.get(send_url(path_of(release, language), language)).content.decode()
    href = unescape(content.split('href="mailto:', 1)[1].split('"', 1)[0])
    assert " " not in href and "\n" not in href
    query = parse_qs(urlsplit("mailto:" + href).query)
    with translation.override(language):
        assert query["subject"] == [release.title]
        assert query["body"] == [f"{release.title}\r\n{settings.SITE_URL}{release.get_absolute_url()}"]


def test_language_toggle_leads_to_the_form_for_the_same_page_in_french(client, release):
    content = client.get(send_url(path_of(release, "en"), "en")).content.decode()
    french_form = send_url(path_of(release, "fr"), "fr")
    assert f'class="language-toggle" href="{french_form}"' in content


def test_form_for_a_page_named_in_the_other_language_describes_it_in_the_form_language(client, release):
    content = client.get(send_url(path_of(release, "en"), "fr")).content.decode()
    with translation.override("fr"):
        assert release.title_fr in unescape(content)
        assert f'href="{release.get_absolute_url()}"' in content


# Sending


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sending_emails_the_page_in_its_language(client, release, language):
    path = path_of(release, language)
    response = client.post(send_url(path, language), VALID)
    assert response.status_code == 200
    [message] = mail.outbox
    with translation.override(language):
        title, summary, url = release.title, release.summary, settings.SITE_URL + release.get_absolute_url()
    expected_subject = {"en": "Ann Smith sent you a page: ", "fr": "Ann Smith vous a envoyé une page\u00a0: "}
    assert message.subject == expected_subject[language] + title
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.to == ["bob@example.net"]
    assert message.reply_to == ["ann@example.org"]
    assert message.cc == [] and message.bcc == []
    assert message.extra_headers["Content-Language"] == language
    assert title in message.body and summary in message.body and url in message.body
    assert "Ann Smith (ann@example.org)" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{url}">' in html and f'<html lang="{language}">' in html


@pytest.mark.parametrize(("language", "heading"), [("en", "Page sent"), ("fr", "Page envoyée")])
def test_success_page_confirms_and_links_back_to_the_page(client, release, language, heading):
    path = path_of(release, language)
    response = client.post(send_url(path, language), VALID)
    content = response.content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert f'<a href="{path}">' in content
    assert "bob@example.net" not in content
    assert "no-store" in response["Cache-Control"]


def test_print_view_address_sends_the_page_itself(client, release):
    client.post(send_url(release.get_print_url(), "en"), VALID)
    [message] = mail.outbox
    assert settings.SITE_URL + path_of(release, "en") in message.body
    assert "/print/" not in message.body


@pytest.mark.parametrize("name", ["newsroom:list", "initiatives:list", "home", "site_map"])
def test_listings_can_be_sent(client, reference, name):
    path = reverse(name)
    assert client.post(send_url(path, "en"), VALID).status_code == 200
    assert settings.SITE_URL + path in mail.outbox[0].body


def test_initiative_and_standard_page_are_sent_with_their_summary(client, db):
    for obj in (make_initiative(summary_fr="Ce que fait l'initiative."), make_page(summary_fr="Résumé.")):
        mail.outbox.clear()
        client.post(send_url(path_of(obj, "fr"), "fr"), VALID)
        [message] = mail.outbox
        assert obj.summary_fr in message.body
        assert settings.SITE_URL + path_of(obj, "fr") in message.body


# Pages that cannot be sent


def refused_paths(release_paths):
    return [
        "",
        "newsroom/",
        "http://evil.example/en/",
        "https://evil.example/en/newsroom/",
        "//evil.example/en/",
        "/\\evil.example/en/",
        "javascript:alert(1)",
        "/en/made-up-page/",
        "/en/newsroom/2005/no-such-release/",
        "/en/newsroom/1999/",
        "/en/send/",
        "/admin/",
        "/healthz",
        "/en/newsroom/\r\nSet-Cookie: x=1",
        "/en/" + "a" * 10_000,
        *release_paths,
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_that_are_not_public_pages_of_this_site_are_refused(client, reference, language):
    now = timezone.now()
    draft = make_release(status=NewsRelease.Status.DRAFT, published_at=None)
    scheduled = make_release(published_at=now + dt.timedelta(hours=1))
    unpublished_draft_with_date = make_release(status=NewsRelease.Status.DRAFT, published_at=now)
    release_paths = []
    for hidden in (scheduled, unpublished_draft_with_date):
        release_paths.append(path_of(hidden, language))
    with translation.override(language):
        release_paths.append(reverse("newsroom:release", kwargs={"year": now.year, "slug": draft.slug}))
    message = {
        "en": "Only the public pages of this site can be sent.",
        "fr": "Seules les pages publiques de ce site peuvent être envoyées.",
    }[language]
    with translation.override(language):
        base = reverse("sharing:send")
    for path in refused_paths(release_paths):
        url = f"{base}?page={quote(path, safe='')}"
        for response in (client.get(url), client.post(url, VALID)):
            assert response.status_code == 400, path
            content = response.content.decode()
            assert message in content
            assert 'class="send-form"' not in content
            assert not any(f'href="{start}evil' in content for start in ("http://", "https://", "//"))
    assert mail.outbox == []


def test_scheduled_release_can_be_sent_once_its_minute_has_come(client, reference, time_machine):
    when = timezone.now() + dt.timedelta(hours=2)
    scheduled = make_release(published_at=when)
    url = send_url(path_of(scheduled, "en"), "en")
    assert client.get(url).status_code == 400
    time_machine.move_to(when + dt.timedelta(minutes=1))
    assert client.post(url, VALID).status_code == 200
    assert len(mail.outbox) == 1


def test_release_page_resolution_uses_the_one_visibility_rule(release):
    assert resolve_public_page(path_of(release, "en"), language="fr").path == path_of(release, "fr")
    release.status = NewsRelease.Status.DRAFT
    release.save()
    assert resolve_public_page(path_of(release, "en"), language="en") is None


# Hostile input


@pytest.mark.parametrize("field", ["sender_name", "sender_email", "recipient"])
@pytest.mark.parametrize(
    "payload",
    ["\r\nBcc: victim@example.com", "\nSubject: spam", "\rX-Injected: 1", "\x00", "\u2028Bcc: v@example.com"],
)
def test_header_injection_in_any_field_is_refused(client, release, field, payload):
    data = {**VALID, field: VALID[field] + payload}
    response = client.post(send_url(path_of(release, "en"), "en"), data)
    assert response.status_code == 400
    assert "Enter this on one line, without line breaks or special characters." in response.content.decode()
    assert mail.outbox == []


def test_header_injection_message_is_in_french_on_the_french_form(client, release):
    data = {**VALID, "recipient": "bob@example.net\r\nBcc: victim@example.com"}
    response = client.post(send_url(path_of(release, "fr"), "fr"), data)
    assert "Entrez cette information sur une seule ligne" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("field", ["sender_name", "sender_email", "recipient", "website"])
def test_ten_thousand_character_fields_are_refused(client, release, field):
    long_value = (
        "a" * 10_000 if field != "sender_email" and field != "recipient" else "a" * 9_988 + "@example.org"
    )
    response = client.post(send_url(path_of(release, "en"), "en"), {**VALID, field: long_value})
    assert response.status_code == 400
    assert mail.outbox == []
    assert f'id="id_{field}_error"' in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "not-an-address",
        "bob@",
        "@example.net",
        "bob smith@example.net",
        "bob@example@net",
        "<bob@example.net>",
        "bob@example.net, eve@example.net",
        "bob@example.net;eve@example.net",
        '"Bob" <bob@example.net>',
    ],
)
def test_malformed_addresses_are_refused(client, release, address):
    for field in ("sender_email", "recipient"):
        response = client.post(send_url(path_of(release, "en"), "en"), {**VALID, field: address})
        assert response.status_code == 400
    assert mail.outbox == []


@pytest.mark.parametrize(
    "name", ["Visit https://spam.example", "www.spam.example", "eve@spam.example", "<b>Ann</b>"]
)
def test_a_name_carrying_a_link_is_refused(client, release, name):
    response = client.post(send_url(path_of(release, "en"), "en"), {**VALID, "sender_name": name})
    assert response.status_code == 400
    assert "Enter your name only, without a web address or an e-mail address." in response.content.decode()
    assert mail.outbox == []


def test_filled_honeypot_sends_nothing(client, release):
    response = client.post(
        send_url(path_of(release, "en"), "en"), {**VALID, "website": "http://spam.example"}
    )
    assert response.status_code == 400
    assert mail.outbox == []


def test_service_refuses_header_injection_even_without_the_form(release):
    page = resolve_public_page(path_of(release, "en"), language="en")
    with pytest.raises(ValueError):
        send_page(
            page=page,
            sender_name="Ann",
            sender_email="ann@example.org",
            recipient="bob@example.net\nBcc: eve@example.net",
            language="en",
        )
    assert mail.outbox == []


# Errors


@pytest.mark.parametrize(
    ("language", "summary_title", "required"),
    [
        ("en", "There is a problem with the form", "Enter your name."),
        ("fr", "Le formulaire contient des erreurs", "Entrez votre nom."),
    ],
)
def test_errors_show_a_focused_summary_and_each_message_next_to_its_field(
    client, release, language, summary_title, required
):
    response = client.post(send_url(path_of(release, language), language), {"recipient": "nope"})
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary" tabindex="-1" autofocus' in content
    assert summary_title in content
    assert f'<li><a href="#id_sender_name">{required}</a></li>' in content
    assert '<a href="#id_recipient">' in content
    for field in ("sender_name", "sender_email", "recipient"):
        assert f'aria-describedby="id_{field}_error"' in content
        assert f'id="id_{field}_error"' in content
    assert content.index('id="error-summary"') < content.index('class="send-form"')
    assert "<title>Error:" in content or "<title>Erreur" in content


def test_entered_values_are_kept_and_escaped_after_an_error(client, release):
    data = {**VALID, "sender_name": '"><script>alert(1)</script>', "recipient": "bad"}
    content = client.post(send_url(path_of(release, "en"), "en"), data).content.decode()
    assert "<script>alert(1)" not in content
    assert 'value="ann@example.org"' in content


# Abuse limits


def test_sixth_page_in_an_hour_from_one_address_is_refused_with_429(client, release):
    url = send_url(path_of(release, "en"), "en")
    for n in range(5):
        response = client.post(
            url, {**VALID, "recipient": f"friend{n}@example.net"}, REMOTE_ADDR="203.0.113.9"
        )
        assert response.status_code == 200
    response = client.post(url, {**VALID, "recipient": "other@example.net"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Too many pages have been sent" in response.content.decode()
    assert len(mail.outbox) == 5
    # Another sender is not held back.
    response = client.post(url, {**VALID, "recipient": "other@example.net"}, REMOTE_ADDR="203.0.113.10")
    assert response.status_code == 200


def test_fourth_page_in_a_day_to_one_recipient_is_refused_in_french(client, release, time_machine):
    url = send_url(path_of(release, "fr"), "fr")
    for n in range(3):
        response = client.post(url, {**VALID, "recipient": "Bob@Example.net"}, REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 200
    response = client.post(url, {**VALID, "recipient": "bob@example.net"}, REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429
    assert "Trop de pages ont été envoyées" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert len(mail.outbox) == 3


def test_behind_our_proxy_each_reader_has_a_limit_of_their_own(client, release, settings):
    settings.NUMBER_OF_PROXIES = 1
    url = send_url(path_of(release, "en"), "en")
    for n in range(5):
        client.post(
            url,
            {**VALID, "recipient": f"friend{n}@example.net"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.50",
        )
    # A forged entry on the left does not give the same reader a fresh limit.
    forged = client.post(url, VALID, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50")
    assert forged.status_code == 429
    other_reader = client.post(url, VALID, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.51")
    assert other_reader.status_code == 200
    assert len(mail.outbox) == 6


def test_refused_sends_do_not_use_up_the_limit(client, release):
    url = send_url(path_of(release, "en"), "en")
    for _n in range(10):
        client.post(url, {**VALID, "recipient": "bad address"}, REMOTE_ADDR="203.0.113.20")
    assert client.post(url, VALID, REMOTE_ADDR="203.0.113.20").status_code == 200


def test_limits_keep_hashes_never_the_address_or_ip(client, release):
    client.post(send_url(path_of(release, "en"), "en"), VALID, REMOTE_ADDR="203.0.113.7")
    ip_key = limits.per_sender_ip().key("203.0.113.7")
    recipient_key = limits.per_recipient().key("bob@example.net")
    assert cache.get(ip_key) == 1 and cache.get(recipient_key) == 1
    for key in (ip_key, recipient_key):
        assert "203.0.113.7" not in key and "bob" not in key and "example" not in key
    stored = " ".join(str(key) for key in stored_cache_keys())
    assert "sharing:" in stored
    assert "bob@example.net" not in stored and "203.0.113.7" not in stored


def test_cache_down_refuses_to_send_with_503(client, release):
    url = send_url(path_of(release, "en"), "en")
    # As production is configured: pages fail open, limits must not.
    location = f"redis://127.0.0.1:{closed_port()}/0"
    redis_down = {
        "default": {"BACKEND": "core.cache_backends.FailOpenRedisCache", "LOCATION": location},
        "strict": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location},
    }
    with override_settings(CACHES=redis_down):
        response = client.post(url, VALID)
    assert response.status_code == 503
    assert "Pages cannot be sent at the moment. Nothing was sent." in response.content.decode()
    assert mail.outbox == []


def test_addresses_are_not_logged(client, release, caplog):
    caplog.set_level(logging.DEBUG)
    url = send_url(path_of(release, "en"), "en")
    client.post(url, VALID)
    for _n in range(4):
        client.post(url, VALID)
    assert "bob@example.net" not in caplog.text and "ann@example.org" not in caplog.text


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "The form could not be sent"), ("fr", "Le formulaire n’a pas pu être envoyé")],
)
def test_a_form_sent_without_its_security_token_is_refused_in_the_readers_language(release, language, title):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(send_url(path_of(release, language), language), VALID)
    assert response.status_code == 403
    assert title in response.content.decode()
    assert mail.outbox == []
