"""Sending a page of this site by e-mail."""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from pages.models import Department

from .public_pages import SharedPage

# A title written by staff could hold one; a header must not.
LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def _site_name() -> str:
    department = Department.current()
    return department.name if department else settings.SITE_URL


def _has_control_characters(value: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in value)


def send_page(
    *, page: SharedPage, sender_name: str, sender_email: str, recipient: str, language: str
) -> None:
    """E-mail `page` to `recipient` with a fixed text naming the sender.

    From is the site's no-reply address; replies go to the sender. Nothing
    is stored. Raises ValueError on a value that could inject headers (the
    form refuses those first) and the backend's error if the message cannot
    be sent.
    """
    for value in (sender_name, sender_email, recipient):
        if _has_control_characters(value):
            raise ValueError("control character in a header value")
    with translation.override(language):
        context = {
            "page": page,
            "sender_name": sender_name,
            "sender_email": sender_email,
            "site_name": _site_name(),
            "language": language,
        }
        subject = _("%(name)s sent you a page: %(title)s") % {"name": sender_name, "title": page.title}
        text = render_to_string("sharing/email.txt", context)
        html = render_to_string("sharing/email.html", context)
    message = EmailMultiAlternatives(
        subject=LINE_BREAKS.sub(" ", subject),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        reply_to=[sender_email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
