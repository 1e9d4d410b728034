"""Embargoed advance copies: sent, opened (logged), revoked, a new time, withdrawn, public at the minute, never leaked."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from advance import links, services
from advance.models import AdvanceMessage, AdvanceOpening, AdvanceRecipient
from core.dates import date_time
from core.roles import EDITOR, PUBLISHER
from newsroom import services as publishing
from tests.factories import make_release
from tests.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher():
    return make_staff(PUBLISHER)


@pytest.fixture
def scheduled():
    minute = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    return make_release(
        published_at=minute, title_en="Embargoed plan", slug_en="embargoed-plan", slug_fr="plan-sous-embargo"
    )


def add(release, publisher, **fields):
    values = {"name": "Jane Doe", "outlet": "Daily Planet", "email": "jane@planet.example", "language": "en"}
    values.update(fields)
    return services.add_recipient(release=release, by=publisher, **values)


def test_publisher_sends_an_advance_copy_marked_embargoed_in_both_languages(scheduled, publisher):
    recipient = add(scheduled, publisher)
    assert services.sync_release(release_id=scheduled.pk) == 1
    [message] = mail.outbox
    local = timezone.localtime(scheduled.published_at)
    zone = local.tzname()
    english = f"EMBARGOED UNTIL {local:%Y-%m-%d %H:%M} {zone} — not for publication or broadcast"
    # The French time as every French page and message gives it: « 4 décembre 2026 à 9 h (HNE) ».
    french = f"SOUS EMBARGO JUSQU’AU {date_time(scheduled.published_at, 'fr')} — ne pas publier ni diffuser"
    assert message.subject.startswith(english)
    assert english in message.body and french in message.body
    assert links.copy_url(recipient) in message.body
    assert "Body of release" in message.body
    # Sent once, however often the work runs.
    assert services.sync_release(release_id=scheduled.pk) == 0
    assert len(mail.outbox) == 1


def test_only_publishers_send_and_only_for_a_scheduled_release(scheduled, publisher):
    with pytest.raises(services.AdvanceCopyError):
        add(scheduled, make_staff(EDITOR))
    with pytest.raises(services.AdvanceCopyError):
        add(make_release(), publisher)
    assert AdvanceRecipient.objects.count() == 0


def test_the_link_shows_the_release_with_the_banner_and_the_recipient_and_logs_each_opening(
    client, scheduled, publisher
):
    recipient = add(scheduled, publisher, name="Jane Doe", outlet="Le Devoir", language="fr")
    response = client.get(links.copy_path(recipient))
    html = response.content.decode()
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert (
        "noindex" in response["X-Robots-Tag"] and '<meta name="robots" content="noindex, nofollow">' in html
    )
    assert "Jane Doe, Le Devoir" in html and "SOUS EMBARGO JUSQU’AU" in html and "EMBARGOED UNTIL" in html
    assert scheduled.title_fr in html
    # No link to the release's public address, its year or its feeds, which do not exist yet.
    assert "plan-sous-embargo" not in html and "embargoed-plan" not in html
    assert 'property="og:' not in html and "ld+json" not in html
    client.get(links.copy_path(recipient, "en"))
    assert list(AdvanceOpening.objects.values_list("language", flat=True).order_by("pk")) == ["fr", "en"]
    assert not response.cookies


def test_a_revoked_link_and_an_unknown_one_answer_404(client, scheduled, publisher):
    first = add(scheduled, publisher)
    second = add(scheduled, publisher, email="sam@example.org")
    assert services.revoke(recipients=[first], by=publisher) == 1
    assert client.get(links.copy_path(first)).status_code == 404
    assert client.get(links.copy_path(second)).status_code == 200
    services.revoke_all(release=scheduled, by=publisher)
    assert client.get(links.copy_path(second)).status_code == 404
    assert client.get(links.copy_path(second)[:-3] + "xx/").status_code == 404
    assert services.sync_release(release_id=scheduled.pk) == 0 and mail.outbox == []


def test_at_the_minute_the_link_leads_to_the_public_page_and_later_expires(client, scheduled, publisher):
    recipient = add(scheduled, publisher)
    with time_machine.travel(scheduled.published_at + dt.timedelta(seconds=1)):
        response = client.get(links.copy_path(recipient))
        assert response.status_code == 302
        assert response["Location"] == f"/en/newsroom/{scheduled.local_published_at.year}/embargoed-plan/"
    with time_machine.travel(scheduled.published_at + dt.timedelta(days=8)):
        assert client.get(links.copy_path(recipient)).status_code == 404


def test_a_rescheduled_release_tells_recipients_the_new_time_and_a_withdrawn_one_a_withdrawal(
    scheduled, publisher
):
    add(scheduled, publisher)
    services.sync_release(release_id=scheduled.pk)
    later = scheduled.published_at + dt.timedelta(hours=3)
    publishing.schedule_release(release=scheduled, by=publisher, at=later)
    assert services.sync_release(release_id=scheduled.pk) == 1
    new_time = mail.outbox[-1]
    assert f"{timezone.localtime(later):%Y-%m-%d %H:%M}" in new_time.subject
    assert "The embargo time of this release has changed" in new_time.body
    publishing.unpublish_release(release=scheduled, by=publisher)
    assert services.sync_release(release_id=scheduled.pk) == 1
    withdrawal = mail.outbox[-1]
    assert withdrawal.subject.startswith("Withdrawn, do not publish or broadcast")
    assert services.sync_release(release_id=scheduled.pk) == 0
    assert list(AdvanceMessage.objects.values_list("kind", flat=True).order_by("pk")) == [
        "copy",
        "new_time",
        "withdrawal",
    ]


def test_saving_the_release_queues_the_recipients_news(
    scheduled, publisher, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    add(scheduled, publisher)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.unpublish_release(release=scheduled, by=publisher)
    assert DBTaskResult.objects.filter(task_path="advance.tasks.sync_advance_copies").exists()


def test_a_message_is_recorded_once_per_recipient_kind_and_minute(scheduled, publisher):
    recipient = add(scheduled, publisher)
    AdvanceMessage.objects.create(recipient=recipient, kind="copy", embargo=scheduled.published_at)
    with pytest.raises(IntegrityError):
        AdvanceMessage.objects.create(recipient=recipient, kind="copy", embargo=scheduled.published_at)


def test_an_advance_copy_never_leaks_into_public_surfaces(client, scheduled, publisher):
    add(scheduled, publisher)
    surfaces = [
        "/en/", "/fr/", "/en/newsroom/", "/fr/salle-de-presse/", "/en/newsroom/feed/", "/fr/salle-de-presse/fil/",
        "/en/search/?q=Embargoed", "/sitemap-releases.xml", "/news-sitemap.xml", "/api/releases/",
        f"/en/newsroom/{scheduled.local_published_at.year}/embargoed-plan/",
    ]  # fmt: skip
    for path in surfaces:
        response = client.get(path)
        assert "Embargoed plan" not in response.content.decode(), path
        assert not re.search(r"advance-copy|copie-preliminaire", response.content.decode()), path


def test_publishers_add_recipients_and_see_openings_in_the_admin(
    client, scheduled, django_capture_on_commit_callbacks
):
    from tests.staff import login

    login(client, PUBLISHER)
    url = f"/admin/advance/embargoedrelease/{scheduled.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "advance_recipients-TOTAL_FORMS": "1", "advance_recipients-INITIAL_FORMS": "0",
        "advance_recipients-MIN_NUM_FORMS": "0", "advance_recipients-MAX_NUM_FORMS": "1000",
        "advance_recipients-0-name": "Jane Doe", "advance_recipients-0-outlet": "Daily Planet",
        "advance_recipients-0-email": "jane@planet.example", "advance_recipients-0-language": "en",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, [str(e) for e in response.context["errors"]] + [
        response.context["inline_admin_formsets"][0].formset.prefix
    ]
    recipient = AdvanceRecipient.objects.get()
    services.record_opening(recipient=recipient, language="en")
    page = client.get(url).content.decode()
    assert "Jane Doe" in page and "<time>" in page
    client.logout()
    login(client, EDITOR, username="editor")
    assert client.get(url).status_code == 403
