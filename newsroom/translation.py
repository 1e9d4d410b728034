from django.db import models
from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from core.history import RestorableHistory

from .models import MediaContact, NewsRelease, ReleaseCorrection


@register(MediaContact)
class MediaContactTranslationOptions(TranslationOptions):
    fields = ("organisation", "department")


@register(NewsRelease)
class NewsReleaseTranslationOptions(TranslationOptions):
    # Not required per language here: a draft may be written one language at
    # a time. Publishing requires both (see newsroom.services).
    fields = ("title", "short_title", "slug", "summary", "body", "dateline")


@register(ReleaseCorrection)
class ReleaseCorrectionTranslationOptions(TranslationOptions):
    fields = ("note",)
    required_languages = ("en", "fr")


# History is registered after translation so that each language's columns
# are kept in every version.
register_history(MediaContact, bases=[RestorableHistory])
# The reason kept with a version is written by people (a change note, a comment
# sending a release back, why it was published anyway): text of any length.
register_history(
    NewsRelease,
    m2m_fields=["media_contacts", "initiatives"],
    bases=[RestorableHistory],
    history_change_reason_field=models.TextField(null=True),
)
