"""The messages to advance copy recipients: the embargo said in both official languages."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.dates import date_time
from newsroom.models import NewsRelease
from pages.models import Department

from . import links
from .models import AdvanceMessage, AdvanceRecipient


def embargo_banner(moment: dt.datetime, language: str) -> str:
    with translation.override(language):
        return _("EMBARGOED UNTIL %(when)s — not for publication or broadcast") % {
            "when": date_time(moment, language)
        }


def both_banners(moment: dt.datetime, language: str) -> list[str]:
    """The embargo notice in the recipient's language first, then in the other."""
    other = "fr" if language == "en" else "en"
    return [embargo_banner(moment, language), embargo_banner(moment, other)]


def message_for(
    recipient: AdvanceRecipient, release: NewsRelease, *, kind: str, embargo: dt.datetime
) -> EmailMultiAlternatives:
    language = recipient.language
    department = Department.current()
    with translation.override(language):
        banners = both_banners(embargo, language)
        if kind == AdvanceMessage.Kind.COPY:
            subject = _("%(banner)s: %(title)s")
        elif kind == AdvanceMessage.Kind.NEW_TIME:
            subject = _("New embargo time, %(banner)s: %(title)s")
        else:
            subject = _("Withdrawn, do not publish or broadcast: %(title)s")
        subject = subject % {"banner": banners[0], "title": release.title}
        context = {
            "language": language,
            "kind": kind,
            "banners": banners,
            "recipient": recipient,
            "site_name": department.name if department else settings.SITE_URL,
            "title": release.title,
            "dateline": release.dateline,
            "summary": release.summary,
            "body_html": release.body,
            "body_text": strip_tags(release.body.replace("</p>", "</p>\n\n")).strip(),
            "copy_url": links.copy_url(recipient),
            "other_copy_url": links.copy_url(recipient, "fr" if language == "en" else "en"),
        }
        text = render_to_string("advance/email/message.txt", context)
        html = render_to_string("advance/email/message.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message
