"""Rich text kept as sanitised HTML.

Staff write release and page bodies as HTML. What is stored is always the
output of `sanitize_html`, so no script, event handler, style or
`javascript:` URL can reach a page, a feed or the API, whatever was typed.
"""

import nh3
from django.db import models

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "dl", "dt",
    "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "q", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "lang"},
    "abbr": {"title", "lang"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"lang"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Attributes that say nothing when empty: an empty title is still read out
# by some screen readers, and an empty lang or hreflang is invalid.
DROPPED_WHEN_EMPTY = {"title", "lang", "hreflang"}


def _drop_empty(tag: str, attribute: str, value: str) -> str | None:
    if attribute in DROPPED_WHEN_EMPTY and not value.strip():
        return None
    return value


def sanitize_html(html: str) -> str:
    """Return `html` reduced to the allowed tags, attributes and URL schemes."""
    if not html:
        return ""
    attributes = {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=attributes,
        url_schemes=ALLOWED_URL_SCHEMES,
        # External links must not hand the opener or referrer to other sites.
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_drop_empty,
    ).strip()


class RichTextField(models.TextField):
    """A text field whose HTML is sanitised every time it is saved."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
