from django import template

from sharing.views import send_url_for

register = template.Library()


@register.simple_tag(takes_context=True)
def send_page_url(context) -> str:
    """The "Send this page" address for the page being shown: {% send_page_url as send_url %}."""
    request = context.get("request")
    return send_url_for(request.path) if request is not None else ""
