"""The Atom feeds a page points to: all releases, plus the feed of what the page is about."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from newsroom.models import NewsRelease

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context) -> list[dict[str, str]]:
    feeds = [{"title": _("News releases (Atom feed)"), "url": reverse("newsroom:feed")}]
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return feeds
    try:
        if match.view_name == "initiatives:detail" and "slug" in match.kwargs:
            feeds.append(
                {
                    "title": _("News releases about this initiative (Atom feed)"),
                    "url": reverse("newsroom:initiative_feed", kwargs={"slug": match.kwargs["slug"]}),
                }
            )
        release_type = request.GET.get("type", "")
        if match.view_name == "newsroom:list" and release_type in NewsRelease.ReleaseType.values:
            label = NewsRelease.ReleaseType(release_type).label
            feeds.append(
                {
                    "title": _("%(type)s (Atom feed)") % {"type": label},
                    "url": reverse("newsroom:type_feed", kwargs={"release_type": release_type}),
                }
            )
    except NoReverseMatch:
        pass
    return feeds
