"""The messages the alerts send, each in its subscriber's language, text with an HTML alternative."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.addresses import absolute_url
from newsroom.models import NewsRelease
from pages.models import Department

from . import links
from .models import Subscription

LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def site_name() -> str:
    department = Department.current()
    return department.name if department else settings.SITE_URL


@dataclass(frozen=True)
class ReleaseText:
    """What a message says of a release, in one language."""

    title: str
    summary: str
    url: str
    published: str


def release_text(release: NewsRelease, language: str) -> ReleaseText:
    with translation.override(language):
        return ReleaseText(
            title=release.title,
            summary=release.summary,
            url=absolute_url(release.get_absolute_url()),
            published=timezone.localtime(release.published_at).strftime("%Y-%m-%d %H:%M"),
        )


def _message_id(*parts) -> str:
    """The same Message-ID whenever the same message is made, so mail systems can tell a repeat."""
    digest = salted_hmac("alerts.message-id", ":".join(str(part) for part in parts)).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "newsroom.invalid"
    return f"<{digest}@{domain}>"


def _message(*, subscription: Subscription, subject: str, template: str, context: dict, headers=None):
    language = subscription.language
    with translation.override(language):
        context = {
            "language": language,
            "site_name": context.get("site_name") or site_name(),
            "subscription": subscription,
            **context,
        }
        text = render_to_string(f"alerts/email/{template}.txt", context)
        html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=LINE_BREAKS.sub(" ", subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={"Content-Language": language, **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    return message


def _list_headers(subscription: Subscription) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail programs offer a one-click unsubscribe that POSTs to this address."""
    return {
        "List-Unsubscribe": f"<{links.unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<alerts.{settings.DEFAULT_FROM_EMAIL.rpartition('@')[2] or 'newsroom.invalid'}>",
    }


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    with translation.override(subscription.language):
        name = site_name()
        subject = _("Confirm your e-mail alerts from %(site)s") % {"site": name}
        topic = subscription.topic_label
    return _message(
        subscription=subscription,
        subject=subject,
        template="confirm",
        context={
            "site_name": name,
            "topic": topic,
            "confirm_url": links.confirm_url(subscription),
            "hours": links.CONFIRMATION_HOURS,
        },
    )


def alert_message(
    subscription: Subscription, release: NewsRelease, *, text: ReleaseText | None = None, name: str = ""
) -> EmailMultiAlternatives:
    text = text or release_text(release, subscription.language)
    return _message(
        subscription=subscription,
        subject=text.title,
        template="alert",
        context={
            "release": text,
            "site_name": name,
            "topic": subscription.topic_label,
            "manage_url": links.manage_url(subscription),
        },
        headers={
            **_list_headers(subscription),
            "Message-ID": _message_id("alert", subscription.recipient, release.pk),
        },
    )


def digest_message(
    subscription: Subscription, releases: list[NewsRelease], *, day, name: str = ""
) -> EmailMultiAlternatives:
    texts = [release_text(release, subscription.language) for release in releases]
    with translation.override(subscription.language):
        subject = ngettext(
            "%(site)s: %(count)s new release on %(day)s",
            "%(site)s: %(count)s new releases on %(day)s",
            len(texts),
        ) % {
            "site": name or site_name(),
            "count": len(texts),
            "day": day.strftime("%Y-%m-%d"),
        }
    return _message(
        subscription=subscription,
        subject=subject,
        template="digest",
        context={
            "releases": texts,
            "site_name": name,
            "day": day,
            "topic": subscription.topic_label,
            "manage_url": links.manage_url(subscription),
        },
        headers={
            **_list_headers(subscription),
            "Message-ID": _message_id("digest", subscription.recipient, day.isoformat()),
        },
    )
