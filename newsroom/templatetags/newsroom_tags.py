"""The release item that every listing repeats, rendered without the template engine.

A newsroom page shows twenty of them; as an included template they were most
of the page's rendering time (a context push, a dozen variable lookups and
filters each). Here each costs one format_html call and gives the same markup.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from newsroom.models import NewsRelease

register = template.Library()

SUMMARY_WORDS = 40


@register.simple_tag
def release_item(release: NewsRelease, heading_level: int = 3) -> SafeString:
    published = release.local_published_at
    summary = release.summary
    return format_html(
        '<li class="release-item">\n'
        '  <p class="release-item__meta"><time datetime="{}">{}</time> · {}</p>\n'
        '  <h{} class="release-item__title"><a href="{}">{}</a></h{}>\n'
        "  {}\n"
        "</li>\n",
        published.isoformat(),
        f"{published:%Y-%m-%d}",
        release.get_release_type_display(),
        heading_level,
        release.get_absolute_url(),
        release.title,
        heading_level,
        format_html("<p>{}</p>", Truncator(summary).words(SUMMARY_WORDS, truncate=" …")) if summary else "",
    )
