"""The publishing desk on the admin's first page (newsroom/desk.py builds it)."""

from django import template
from django.utils import timezone

from newsroom import desk

register = template.Library()


@register.simple_tag(takes_context=True)
def publishing_desk(context):
    """The desk's sections for the signed-in user, or None for staff who do not handle releases."""
    request = context.get("request")
    if request is None or not request.user.has_perm("newsroom.view_newsrelease"):
        return None
    # The page asks more than once (title, content, sidebar); the desk is read once.
    if not hasattr(request, "_publishing_desk"):
        request._publishing_desk = {
            "sections": desk.sections(request.user, timezone.now()),
            "words": desk.countdown_words(),
        }
    return request._publishing_desk
