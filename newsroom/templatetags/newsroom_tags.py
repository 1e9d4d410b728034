"""The release item that every listing repeats, rendered without the template engine.

A newsroom page shows twenty of them; as an included template they were most
of the page's rendering time (a context push, a dozen variable lookups and
filters each). Here each costs one format_html call and gives the same markup.
"""

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from core.versioned import cached_until_next_publication
from initiatives.cached import all_initiatives
from newsroom.archive import public_years
from newsroom.models import NewsRelease, release_address

register = template.Library()

SUMMARY_WORDS = 40


# The name of each release type in each language: translations change only
# with the code, so each process looks them up once.
_TYPE_NAMES: dict[str | None, dict[str, str]] = {}


def type_names() -> dict[str, str]:
    language = translation.get_language()
    names = _TYPE_NAMES.get(language)
    if names is None:
        names = _TYPE_NAMES[language] = {
            value: str(label) for value, label in NewsRelease.ReleaseType.choices
        }
    return names


@register.simple_tag
def release_item(release: NewsRelease, heading_level: int = 3) -> SafeString:
    published = release.local_published_at
    summary = release.summary
    release_type = release.release_type
    return format_html(
        '<li class="release-item">\n'
        '  <p class="release-item__meta"><time datetime="{}">{}</time> · {}</p>\n'
        '  <h{} class="release-item__title"><a href="{}">{}</a></h{}>\n'
        "  {}\n"
        "</li>\n",
        published.isoformat(),
        f"{published:%Y-%m-%d}",
        type_names().get(release_type, release_type),
        heading_level,
        release_address("newsroom:release", published.year, release.slug)
        if release.slug
        else release.get_absolute_url(),
        release.title,
        heading_level,
        format_html("<p>{}</p>", Truncator(summary).words(SUMMARY_WORDS, truncate=" …")) if summary else "",
    )


# The filter and archive lists are the same on every page of the newsroom
# (an initiative filter may list hundreds): rendered once per language and
# content version, and again at each publication minute, which may add a year
# or an initiative.


@register.simple_tag
def initiative_options(selected: str | None = None) -> SafeString:
    """The initiative filter's options, the one whose slug is `selected` marked as such.

    One copy per language, whichever is chosen: the chosen option is marked
    when the page is rendered.
    """
    options = cached_until_next_publication(
        f"initiative-options:{translation.get_language()}",
        lambda now: [
            (initiative.slug, format_html('<option value="{}">{}</option>', initiative.slug, initiative.name))
            for initiative in all_initiatives()
        ],
    )
    return mark_safe(
        "".join(
            option.replace('">', '" selected>', 1) if slug == selected else option for slug, option in options
        )
    )


@register.simple_tag
def archive_years() -> SafeString:
    """The links to each year's archive."""
    return cached_until_next_publication(
        f"archive-years:{translation.get_language()}",
        lambda now: mark_safe(
            render_to_string("newsroom/includes/archive_years.html", {"years": public_years()})
        ),
    )
