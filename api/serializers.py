"""What the API says about each record: stable numeric ids, both languages side by side.

Translated fields sit under `translations.en` and `translations.fr`, each
with the absolute address of the public page in that language.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from initiatives.models import Initiative
from newsroom.models import MediaContact, NewsRelease

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def public_url(obj, language: str) -> str:
    with translation.override(language):
        return f"{settings.SITE_URL}{obj.get_absolute_url()}"


class TranslationsField(serializers.Field):
    """One nested object per language; a `language` in the context keeps only that one."""

    language_serializer: type[serializers.Serializer]

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, obj):
        wanted = self.context.get("language")
        return {
            code: self.language_serializer(obj, context={**self.context, "language_code": code}).data
            for code in LANGUAGE_CODES
            if wanted in (None, code)
        }


class InLanguageSerializer(serializers.Serializer):
    # Each declared field reads `<field>_<language>`.

    def to_representation(self, obj):
        code = self.context["language_code"]
        # An empty translated field may be stored as NULL; it is always given as "".
        data = {name: getattr(obj, f"{name}_{code}") or "" for name in self.fields if name != "url"}
        if "url" in self.fields:
            data["url"] = public_url(obj, code)
        return data


class ReleaseInLanguageSerializer(InLanguageSerializer):
    """A release in one language."""

    title = serializers.CharField()
    slug = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.CharField(help_text=_("Sanitised HTML."))
    dateline = serializers.CharField()
    url = serializers.URLField(help_text=_("The public page in this language."))


class ReleaseTranslationsSerializer(serializers.Serializer):
    en = ReleaseInLanguageSerializer(required=False)
    fr = ReleaseInLanguageSerializer(required=False)


class InitiativeInLanguageSerializer(InLanguageSerializer):
    """An initiative in one language."""

    name = serializers.CharField()
    slug = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.CharField(help_text=_("Sanitised HTML."))
    url = serializers.URLField(help_text=_("The public page in this language."))


class InitiativeTranslationsSerializer(serializers.Serializer):
    en = InitiativeInLanguageSerializer(required=False)
    fr = InitiativeInLanguageSerializer(required=False)


class MediaContactInLanguageSerializer(InLanguageSerializer):
    """A media contact in one language."""

    organisation = serializers.CharField()
    department = serializers.CharField()


class MediaContactTranslationsSerializer(serializers.Serializer):
    en = MediaContactInLanguageSerializer(required=False)
    fr = MediaContactInLanguageSerializer(required=False)


@extend_schema_field(ReleaseTranslationsSerializer)
class ReleaseTranslationsField(TranslationsField):
    language_serializer = ReleaseInLanguageSerializer


@extend_schema_field(InitiativeTranslationsSerializer)
class InitiativeTranslationsField(TranslationsField):
    language_serializer = InitiativeInLanguageSerializer


@extend_schema_field(MediaContactTranslationsSerializer)
class MediaContactTranslationsField(TranslationsField):
    language_serializer = MediaContactInLanguageSerializer


class ReleaseSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(source="release_type", choices=NewsRelease.ReleaseType.choices)
    archived = serializers.BooleanField(source="is_archived")
    updated_at = serializers.DateTimeField(
        help_text=_("When the release last changed or became public, whichever is later.")
    )
    translations = ReleaseTranslationsField()

    class Meta:
        model = NewsRelease
        fields = [
            "id",
            "type",
            "archived",
            "published_at",
            "last_updated",
            "updated_at",
            "initiatives",
            "media_contacts",
            "translations",
        ]
        read_only_fields = fields


class InitiativeSerializer(serializers.ModelSerializer):
    translations = InitiativeTranslationsField()

    class Meta:
        model = Initiative
        fields = ["id", "status", "year_established", "last_updated", "translations"]
        read_only_fields = fields


class MediaContactSerializer(serializers.ModelSerializer):
    # Optional fields are given as "" when empty, so they are plain strings, not formats.
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField(help_text=_("An e-mail address, or empty."))
    translations = MediaContactTranslationsField()

    class Meta:
        model = MediaContact
        fields = ["id", "name", "phone", "email", "translations"]
        read_only_fields = fields


class MomentField(serializers.DateTimeField):
    """An ISO 8601 moment, in UTC; moments beyond what UTC can hold become its first or last."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        if timezone.is_naive(value):
            value = value.replace(tzinfo=timezone.get_current_timezone())
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:
            edge = dt.datetime.min if value.year < 5000 else dt.datetime.max
            return edge.replace(tzinfo=dt.UTC)


class ReleaseFiltersSerializer(serializers.Serializer):
    """The query parameters of the release list. Anything else in the query is ignored."""

    type = serializers.ChoiceField(
        choices=NewsRelease.ReleaseType.choices, required=False, help_text=_("Only releases of this type.")
    )
    initiative = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text=_("Only releases about this initiative (its id)."),
    )
    year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, help_text=_("Only releases published that year.")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, help_text=_("Give the text in this language only.")
    )
    updated_since = MomentField(
        required=False,
        help_text=_(
            "Only releases changed or made public at or after this moment (ISO 8601, for example 2005-09-19T00:00:00Z)."
        ),
    )


class LanguageSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, required=False, help_text=_("Give the text in this language only.")
    )
