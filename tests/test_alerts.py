"""E-mail alerts: subscribing with double opt-in, managing, cancelling, and who gets what, when."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import links, services
from alerts.models import Delivery, Subscription
from newsroom.models import NewsRelease
from tests.factories import make_initiative, make_release

pytestmark = pytest.mark.django_db

FORM = {"email": "Ann@Example.org", "topic": "all", "language": "en", "frequency": "immediate"}


def subscribe(client, page="en", **data):
    path = "/en/alerts/" if page == "en" else "/fr/alertes/"
    return client.post(path, {**FORM, **data})


def link_in(message, pattern: str) -> str:
    return re.search(rf"https?://\S+{pattern}\S+/", message.body).group(0)


def confirmed(email="ann@example.org", **fields) -> Subscription:
    values = {"email": email, "confirmed_at": timezone.now() - dt.timedelta(days=1)}
    values.update(fields)
    return Subscription.objects.create(**values)


# --- The pages ------------------------------------------------------------


@pytest.mark.parametrize(
    "path,heading", [("/en/alerts/", "E-mail alerts"), ("/fr/alertes/", "Alertes par courriel")]
)
def test_subscribe_page_in_each_language_is_private_with_its_privacy_notice(client, reference, path, heading):
    response = client.get(path)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert 'id="privacy"' in html
    assert (
        "Integrated Border Enforcement Teams" in html
        or "Équipes intégrées de la police des frontières" in html
    )


def test_every_page_links_to_alerts_and_an_initiative_page_to_its_own(client, reference):
    home = client.get("/en/").content.decode()
    assert 'href="/en/alerts/"' in home
    page = client.get("/fr/initiatives/equipes-integrees-de-la-police-des-frontieres/").content.decode()
    assert 'href="/fr/alertes/?topic=initiative%3Aequipes-integrees-de-la-police-des-frontieres"' in page
    form = client.get("/fr/alertes/?topic=initiative%3Aequipes-integrees-de-la-police-des-frontieres")
    assert (
        'value="initiative:equipes-integrees-de-la-police-des-frontieres" selected' in form.content.decode()
    )
    # The language toggle keeps the chosen initiative, by its English address.
    assert "/en/alerts/?topic=initiative%3Aintegrated-border-enforcement-teams" in form.content.decode()


def test_subscribing_sends_a_confirmation_and_nothing_else_until_confirmed(client, reference):
    response = subscribe(client, page="fr", language="fr")
    assert response.status_code == 200
    assert "Vérifiez vos courriels" in unescape(response.content.decode())
    [message] = mail.outbox
    assert message.to == ["ann@example.org"]
    assert message.extra_headers["Content-Language"] == "fr"
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.language == "fr"
    make_release(published_at=timezone.now() - dt.timedelta(minutes=1))
    services.deliver_release_alerts(release_id=NewsRelease.objects.latest("pk").pk)
    assert len(mail.outbox) == 1


def test_confirmation_link_shows_a_button_and_confirms_only_when_pressed(client, reference):
    subscribe(client)
    url = link_in(mail.outbox[0], "/confirm/")
    path = url.split("8000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "noindex" in page["X-Robots-Tag"]
    assert Subscription.objects.get().confirmed_at is None
    done = client.post(path)
    assert done.status_code == 200 and "Subscription confirmed" in done.content.decode()
    assert Subscription.objects.get().is_confirmed


def test_confirmation_link_expires_after_48_hours(client, reference):
    subscribe(client)
    path = link_in(mail.outbox[0], "/confirm/").split("8000", 1)[1]
    with time_machine.travel(timezone.now() + dt.timedelta(hours=48, minutes=1)):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_a_forged_or_damaged_link_is_a_plain_404(client):
    subscription = confirmed()
    token = links.manage_token(subscription)
    assert client.get(f"/en/alerts/manage/{token}x/").status_code == 404
    assert client.get(f"/en/alerts/manage/{subscription.key}/").status_code == 404
    assert (
        client.post(f"/en/alerts/unsubscribe/{token[:-2]}/", {"List-Unsubscribe": "One-Click"}).status_code
        == 404
    )


def test_the_form_says_the_same_whether_or_not_the_address_is_subscribed(client, reference):
    confirmed(email="ann@example.org")
    known = subscribe(client)
    unknown = subscribe(client, email="bob@example.org")

    def strip(response) -> str:
        return response.content.decode().replace("bob@example.org", "").replace("Ann@Example.org", "")

    assert known.status_code == unknown.status_code == 200
    assert re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", strip(known)) == re.sub(
        r'name="csrfmiddlewaretoken" value="\w+"', "", strip(unknown)
    )
    # Only the new address was written to.
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]


def test_robots_filling_the_trap_get_an_error_and_nothing_is_kept(client, reference):
    response = subscribe(client, website="http://spam.example")
    assert response.status_code == 400
    assert Subscription.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    "data,message",
    [
        ({"email": "not an address"}, "Enter your e-mail address in the form name@example.com."),
        ({"email": "a@example.org\r\nBcc: x@example.org"}, "Enter this on one line"),
        ({"topic": "initiative:no-such-thing"}, "Choose what to follow from the list."),
        ({"topic": "type:nonsense"}, "Choose what to follow from the list."),
        ({"frequency": "hourly"}, "Choose how often to receive alerts from the list."),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, reference, data, message):
    response = subscribe(client, **data)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert Subscription.objects.count() == 0 and mail.outbox == []


def test_bad_input_error_is_in_french_on_the_french_form(client, reference):
    response = subscribe(client, page="fr", email="pas une adresse")
    assert response.status_code == 400
    assert "Entrez votre adresse courriel sous la forme nom@exemple.com." in unescape(
        response.content.decode()
    )


def test_too_many_requests_for_one_address_are_refused(client, reference, settings):
    settings.ALERTS_REQUESTS_PER_ADDRESS_PER_DAY = 2
    for topic in ("all", "type:speech"):
        assert subscribe(client, topic=topic).status_code == 200
    response = subscribe(client, topic="type:statement")
    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_manage_page_cancels_one_or_every_subscription(client, reference):
    first = confirmed(language="fr")
    confirmed(follows="type", release_type="speech")
    path = links.manage_path(first)
    assert path.startswith("/fr/alertes/gerer/")
    page = client.get(path)
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    response = client.post(path, {"cancel": "this"})
    assert response.status_code == 200
    assert list(Subscription.objects.values_list("follows", flat=True)) == ["type"]
    other = Subscription.objects.get()
    client.post(links.manage_path(other), {"cancel": "all"})
    assert Subscription.objects.count() == 0
    assert client.get(path).status_code == 404


def test_one_click_unsubscribe_by_post_deletes_the_address_and_its_records(client):
    subscription = confirmed()
    release = make_release()
    Delivery.objects.create(subscription=subscription, recipient=subscription.recipient, release=release)
    path = links.unsubscribe_path(subscription)
    # A mail program posts with no cookie and no CSRF token (RFC 8058).
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.count() == 0 and Delivery.objects.count() == 0


def test_one_click_endpoint_asks_for_the_rfc_8058_body_and_a_get_leads_to_the_manage_page(client):
    subscription = confirmed()
    path = links.unsubscribe_path(subscription)
    assert client.post(path, {}).status_code == 400
    assert Subscription.objects.count() == 1
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == links.manage_path(subscription)


# --- The model's rules ----------------------------------------------------


def test_a_topic_must_be_complete_in_the_model_and_in_the_database():
    incomplete = Subscription(email="a@example.org", follows="type", release_type="")
    with pytest.raises(ValidationError):
        incomplete.full_clean()
    with pytest.raises(IntegrityError):
        incomplete.save()


def test_one_address_follows_a_topic_once(db):
    confirmed()
    with pytest.raises(IntegrityError):
        confirmed()


def test_a_delivery_is_recorded_once_per_recipient_release_and_kind():
    subscription = confirmed()
    release = make_release()
    Delivery.objects.create(subscription=subscription, recipient=subscription.recipient, release=release)
    with pytest.raises(IntegrityError):
        Delivery.objects.create(subscription=subscription, recipient=subscription.recipient, release=release)


# --- Who gets what, and when ----------------------------------------------


def test_saving_a_scheduled_release_queues_its_alerts_for_its_minute(django_capture_on_commit_callbacks):
    minute = (timezone.now() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        release = make_release(published_at=minute)
    task = DBTaskResult.objects.get(task_path="alerts.tasks.send_release_alerts")
    assert task.run_after == minute
    assert task.args_kwargs["kwargs"] == {"release_id": release.pk}


def test_old_releases_loaded_or_restored_alert_no_one(django_capture_on_commit_callbacks):
    confirmed()
    with django_capture_on_commit_callbacks(execute=True):
        release = make_release(published_at=timezone.now() - dt.timedelta(days=400))
    assert not DBTaskResult.objects.exists()
    assert services.deliver_release_alerts(release_id=release.pk) == 0


def test_alerts_go_to_followers_once_in_their_language_with_the_unsubscribe_headers():
    initiative = make_initiative()
    everything = confirmed(email="all@example.org", language="fr")
    confirmed(email="all@example.org", follows="initiative", initiative=initiative)
    confirmed(email="speech@example.org", follows="type", release_type="speech")
    confirmed(email="news@example.org", follows="type", release_type="news_release")
    confirmed(email="daily@example.org", frequency="daily")
    Subscription.objects.create(email="pending@example.org")
    release = make_release(published_at=timezone.now() - dt.timedelta(minutes=1), initiatives=[initiative])
    assert services.deliver_release_alerts(release_id=release.pk) == 2
    assert services.deliver_release_alerts(release_id=release.pk) == 0
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"all@example.org", "news@example.org"}
    french = by_address["all@example.org"]
    assert french.subject == release.title_fr
    assert release.summary_fr in french.body and "/fr/salle-de-presse/" in french.body
    assert french.extra_headers["List-Unsubscribe"] == f"<{links.unsubscribe_url(everything)}>"
    assert french.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html, mimetype = french.alternatives[0]
    assert mimetype == "text/html" and '<html lang="fr">' in html
    assert Delivery.objects.filter(status="sent").count() == 2


def test_nothing_is_sent_before_the_minute_or_for_an_unpublished_release():
    confirmed()
    scheduled = make_release(published_at=timezone.now() + dt.timedelta(minutes=5))
    assert services.deliver_release_alerts(release_id=scheduled.pk) == 0
    withdrawn = make_release(published_at=timezone.now() - dt.timedelta(minutes=1), status="draft")
    assert services.deliver_release_alerts(release_id=withdrawn.pk) == 0
    assert mail.outbox == [] and Delivery.objects.count() == 0
    with time_machine.travel(scheduled.published_at + dt.timedelta(seconds=1)):
        assert services.deliver_release_alerts(release_id=scheduled.pk) == 1


def test_subscribers_who_confirmed_after_the_minute_are_not_sent_that_release():
    release = make_release(published_at=timezone.now() - dt.timedelta(minutes=10))
    confirmed(confirmed_at=timezone.now())
    assert services.deliver_release_alerts(release_id=release.pk) == 0


def test_the_sweep_sends_alerts_that_no_task_sent_late_rather_than_never():
    confirmed()
    release = make_release(published_at=timezone.now() - dt.timedelta(hours=2))
    assert services.releases_missing_alerts(timezone.now()) == [release.pk]
    services.sweep()
    assert len(mail.outbox) == 1
    assert services.releases_missing_alerts(timezone.now()) == []
    services.sweep()
    assert len(mail.outbox) == 1


def test_deliveries_a_dead_worker_left_claimed_are_sent_once_its_claim_runs_out(settings):
    subscription = confirmed()
    release = make_release(published_at=timezone.now() - dt.timedelta(minutes=1))
    Delivery.objects.create(
        subscription=subscription,
        recipient=subscription.recipient,
        release=release,
        status="sending",
        claimed_until=timezone.now() + dt.timedelta(seconds=60),
    )
    assert services.deliver_release_alerts(release_id=release.pk) == 0
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert services.deliver_release_alerts(release_id=release.pk) == 1


def test_the_daily_digest_gathers_the_days_releases_once_at_its_hour(settings):
    settings.ALERTS_DIGEST_HOUR = 17
    confirmed(
        email="daily@example.org", frequency="daily", confirmed_at=timezone.now() - dt.timedelta(days=5)
    )
    day = timezone.localdate() - dt.timedelta(days=1)
    hour = timezone.make_aware(dt.datetime.combine(day, dt.time(17)))
    first = make_release(published_at=hour - dt.timedelta(hours=5))
    second = make_release(published_at=hour - dt.timedelta(hours=2))
    make_release(published_at=hour + dt.timedelta(hours=1))
    with time_machine.travel(hour - dt.timedelta(minutes=1)):
        services.sweep()
        assert mail.outbox == []
    with time_machine.travel(hour + dt.timedelta(minutes=1)):
        services.sweep()
        from alerts.tasks import send_daily_digest

        send_daily_digest.call(day=day.isoformat())
        services.sweep()
    [message] = mail.outbox
    assert message.to == ["daily@example.org"]
    assert "2 new releases" in message.subject
    assert first.title_en in message.body and second.title_en in message.body


def test_publishers_see_counts_and_only_administrators_see_addresses(client, django_user_model):
    from core.roles import ADMINISTRATOR, PUBLISHER
    from tests.staff import login

    confirmed(email="secret@example.org")
    release = make_release(published_at=timezone.now() - dt.timedelta(minutes=1))
    services.deliver_release_alerts(release_id=release.pk)
    login(client, PUBLISHER)
    page = client.get("/admin/alerts/releasealerts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "sent to 1" in html and "secret@example.org" not in html
    assert client.get("/admin/alerts/subscription/").status_code == 403
    client.logout()
    login(client, ADMINISTRATOR)
    assert "secret@example.org" in client.get("/admin/alerts/subscription/").content.decode()


def test_hostile_form_data_never_breaks_the_form_nor_comes_back_as_markup(client, reference):
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from hypothesis import strategies as st

    from tests.test_hostile_input import assert_safe, hostile_text

    @hypothesis_settings(
        max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        data=st.fixed_dictionaries({key: hostile_text for key in ("email", "topic", "language", "frequency")})
    )
    def check(data):
        for path in ("/en/alerts/", "/fr/alertes/"):
            response = client.post(path, data)
            assert_safe(response, list(data.values()))
            assert response.status_code in (200, 400, 429)

    check()


def test_a_rescheduled_release_is_sent_at_its_new_minute_and_a_deleted_one_never():
    confirmed()
    old = (timezone.now() + dt.timedelta(minutes=10)).replace(second=0, microsecond=0)
    release = make_release(published_at=old)
    new = old + dt.timedelta(hours=1)
    NewsRelease.objects.filter(pk=release.pk).update(published_at=new)
    with time_machine.travel(old + dt.timedelta(seconds=1)):
        assert services.deliver_release_alerts(release_id=release.pk) == 0
    with time_machine.travel(new + dt.timedelta(seconds=1)):
        assert services.deliver_release_alerts(release_id=release.pk) == 1
    gone = make_release(published_at=timezone.now() - dt.timedelta(minutes=1))
    gone_id = gone.pk
    gone.delete()
    assert services.deliver_release_alerts(release_id=gone_id) == 0
    assert len(mail.outbox) == 1


def test_one_sweep_a_minute_goes_on_however_many_workers_start():
    from alerts import tasks

    with time_machine.travel(dt.datetime(2026, 12, 4, 14, 0, 10, tzinfo=dt.UTC), tick=False):
        tasks.sweep.call(starting=True)
        tasks.sweep.call(starting=True)
        tasks.sweep.call()
    queued = DBTaskResult.objects.filter(task_path="alerts.tasks.sweep", status="READY")
    assert [task.run_after for task in queued] == [dt.datetime(2026, 12, 4, 14, 1, tzinfo=dt.UTC)]


def test_a_worker_starting_sends_what_is_owed_at_once_even_in_a_claimed_minute():
    from alerts import tasks

    confirmed()
    make_release(published_at=timezone.now() - dt.timedelta(minutes=5))
    services.claim_sweep(services.this_minute(timezone.now()))
    tasks.sweep.call()
    assert mail.outbox == []
    tasks.sweep.call(starting=True)
    assert len(mail.outbox) == 1


def test_a_worker_whose_claim_was_taken_over_records_nothing_and_sends_nothing():
    subscription = confirmed()
    release = make_release(published_at=timezone.now() - dt.timedelta(minutes=1))
    services.create_deliveries(release=release)
    [mine] = services._claim(services._pending(timezone.now()), 10)
    # Its claim ran out and another worker took the message.
    Delivery.objects.filter(pk=mine.pk).update(claimed_until=timezone.now() + dt.timedelta(minutes=5))
    with pytest.raises(services.TakenOver):
        services._mark_sent([mine.pk], mine.claimed_until)
    assert Delivery.objects.get(pk=mine.pk).status == "sending"
    assert subscription.recipient == mine.recipient
