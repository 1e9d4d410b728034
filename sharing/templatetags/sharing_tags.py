from django import template
from django.urls import Resolver404, resolve

from sharing.public_pages import PAGES
from sharing.views import send_url_for

register = template.Library()


@register.simple_tag(takes_context=True)
def send_page_url(context) -> str:
    """The "Send this page" address for the page being shown: {% send_page_url as send_url %}.

    Empty on pages that can never be sent (a staff preview), so they offer no link.
    """
    request = context.get("request")
    if request is None:
        return ""
    try:
        view_name = resolve(request.path).view_name
    except Resolver404:
        return ""
    return send_url_for(request.path) if view_name in PAGES else ""
