"""A history a person can read, for every model the admin keeps versions of.

django-simple-history lists raw rows: each language's column and its
unsuffixed twin, version counters, status codes, texts cut in the middle of a
word, times in the server's zone. `ReadableHistoryAdmin` shows instead one
entry per save, in Ottawa time, each changed field once per language under
its own name, values as the form shows them, long texts as a word diff, and
restores named as restores of a given version.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin

from .dates import date_time
from .history import mark_as_restore
from .richtext import RichTextField
from .word_diff import Segment, plain_text, shorten, word_diff

# Staff read and enter every time in Ottawa time, whatever the server's zone.
OTTAWA = zoneinfo.ZoneInfo("America/Toronto")

# A form's links are saved moments after its fields, and simple-history keeps
# a version for each; versions this close together are read as one edit.
SAME_EDIT = dt.timedelta(seconds=2)

# Texts longer than this (in characters, markup removed) are shown as a word diff.
SHORT_TEXT = 160

# Change reasons that say nothing.
EMPTY_REASONS = {"", "None"}

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def local_minute(moment: dt.datetime) -> str:
    """A moment as staff read it, in Ottawa time: 2026-12-04 09:30 EST, 4 décembre 2026 à 9 h 30 (HNE)."""
    with timezone.override(OTTAWA):
        return date_time(moment)


@dataclass(frozen=True)
class ShownField:
    """A field as the history names it: "Title", in "English"."""

    name: str
    label: str
    language: str = ""
    model_field: models.Field | None = None
    many_to_many: models.ManyToManyField | None = None


@dataclass
class FieldChange:
    label: str
    language: str
    before: str = ""
    after: str = ""
    # A long text, word by word; empty for a short value shown before and after.
    segments: list[Segment] = field(default_factory=list)
    # Something to say instead of values, such as "Formatting only".
    note: str = ""
    # Links to other records taken away and made, by name.
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


@dataclass
class HistoryEntry:
    when: dt.datetime
    when_text: str
    action: str
    user_name: str
    user_url: str | None
    reason: str
    version_url: str
    changes: list[FieldChange]
    restored_url: str | None = None
    # Said instead of changes, when there is nothing to compare with.
    note: str = ""


def shown_fields(model: type[models.Model], hidden: Iterable[str] = ()) -> list[ShownField]:
    """The fields of `model` a history shows, in form order, each language apart, internals left out."""
    try:
        translated = {
            name: sorted(fields, key=lambda f: [code for code, _name in settings.LANGUAGES].index(f.language))
            for name, fields in translator.get_options_for_model(model).all_fields.items()
        }
    except NotRegistered:
        translated = {}
    language_columns = {f.name for fields in translated.values() for f in fields}
    hidden = set(hidden)
    shown = []
    for model_field in model._meta.concrete_fields:
        if (
            model_field.primary_key
            or model_field.name in hidden
            or model_field.name in language_columns
            or getattr(model_field, "auto_now", False)
            or getattr(model_field, "auto_now_add", False)
        ):
            continue
        label = capfirst(model_field.verbose_name)
        if model_field.name in translated:
            for language_field in translated[model_field.name]:
                shown.append(
                    ShownField(
                        name=language_field.name,
                        label=label,
                        language=LANGUAGE_NAMES.get(language_field.language, language_field.language),
                        model_field=model_field,
                    )
                )
        else:
            shown.append(ShownField(name=model_field.attname, label=label, model_field=model_field))
    for many in model._meta.many_to_many:
        if many.name not in hidden:
            shown.append(ShownField(name=many.name, label=capfirst(many.verbose_name), many_to_many=many))
    return shown


def display_value(value: Any, model_field: models.Field) -> str:
    """A stored value as the form shows it: labels, not codes; Ottawa time; names, not ids."""
    if value is None or value == "":
        return gettext("(empty)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    if isinstance(model_field, models.DateTimeField):
        return local_minute(value)
    if isinstance(model_field, models.DateField):
        return value.isoformat()
    return str(value)


def _related_names(record: Any, many: models.ManyToManyField, cache: dict) -> frozenset[str]:
    """The names of the objects a version was linked to (its kept many-to-many rows)."""
    rows = getattr(record, many.name).all()
    target = next(
        f.attname
        for f in rows.model._meta.concrete_fields
        if f.is_relation and f.related_model is many.related_model
    )
    model = many.related_model
    ids = {getattr(row, target) for row in rows}
    missing = {pk for pk in ids if (model, pk) not in cache}
    if missing:
        for obj in model._default_manager.filter(pk__in=missing):
            cache[model, obj.pk] = str(obj)
    return frozenset(cache.get((model, pk), f"#{pk}") for pk in ids)


def _foreign_key_name(record: Any, model_field: models.ForeignKey) -> str | None:
    if getattr(record, model_field.attname) is None:
        return None
    try:
        return str(getattr(record, model_field.name))
    except model_field.related_model.DoesNotExist:
        return f"#{getattr(record, model_field.attname)}"


def field_changes(before: Any, after: Any, fields: Sequence[ShownField]) -> list[FieldChange]:
    """What differs between two kept versions, field by field, as a reader wants to see it."""
    changes = []
    names_cache: dict = {}
    for shown in fields:
        if shown.many_to_many is not None:
            old = _related_names(before, shown.many_to_many, names_cache)
            new = _related_names(after, shown.many_to_many, names_cache)
            if old != new:
                changes.append(
                    FieldChange(
                        label=shown.label,
                        language=shown.language,
                        removed=sorted(old - new),
                        added=sorted(new - old),
                    )
                )
            continue
        model_field = shown.model_field
        if isinstance(model_field, models.ForeignKey):
            old, new = _foreign_key_name(before, model_field), _foreign_key_name(after, model_field)
            if old != new:
                changes.append(
                    FieldChange(
                        shown.label,
                        shown.language,
                        old or gettext("(empty)"),
                        new or gettext("(empty)"),
                    )
                )
            continue
        old, new = getattr(before, shown.name), getattr(after, shown.name)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        changes.append(text_change(shown, old, new))
    return changes


def text_change(shown: ShownField, old: Any, new: Any) -> FieldChange:
    """One field's change: both values when short, a word diff when long."""
    model_field = shown.model_field
    if not isinstance(model_field, models.CharField | models.TextField) or model_field.choices:
        return FieldChange(
            shown.label, shown.language, display_value(old, model_field), display_value(new, model_field)
        )
    rich = isinstance(model_field, RichTextField)
    old_text, new_text = plain_text(old, rich=rich), plain_text(new, rich=rich)
    if old_text == new_text:
        return FieldChange(
            shown.label, shown.language, note=gettext("Formatting only; the words are the same.")
        )
    if len(old_text) <= SHORT_TEXT and len(new_text) <= SHORT_TEXT:
        return FieldChange(
            shown.label,
            shown.language,
            old_text or gettext("(empty)"),
            new_text or gettext("(empty)"),
        )
    if not old_text or not new_text:
        return FieldChange(
            shown.label,
            shown.language,
            shorten(old_text) or gettext("(empty)"),
            shorten(new_text) or gettext("(empty)"),
        )
    return FieldChange(shown.label, shown.language, segments=word_diff(old_text, new_text))


def _same_edit(newer: Any, older: Any) -> bool:
    """Whether `newer` only records the many-to-many changes of the save that made `older`.

    Django saves a form's links after its fields, and simple-history keeps a
    version for each: the same fields, moments later, by the same person.
    """
    return (
        newer.history_type == "~"
        and older.history_type in ("+", "~")
        and newer.history_user_id == older.history_user_id
        and newer.history_restored_from == older.history_restored_from
        and newer.history_date - older.history_date <= SAME_EDIT
        and all(
            getattr(newer, f.attname) == getattr(older, f.attname)
            for f in newer.instance_type._meta.concrete_fields
        )
    )


def group_edits(records: Sequence[Any]) -> list[list[Any]]:
    """Versions, newest first, gathered into one list per edit (newest version first in each)."""
    groups: list[list[Any]] = []
    for record in records:
        if groups and _same_edit(groups[-1][-1], record):
            groups[-1].append(record)
        else:
            groups.append([record])
    return groups


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history page and restore page speak to people."""

    object_history_template = "admin/history/object_history.html"
    object_history_form_template = "admin/history/object_history_form.html"
    # Fields of no interest to a reader of the history (counters, flags kept for the desk).
    history_hidden_fields: Sequence[str] = ()

    # The stock per-row diff is replaced by history_entries().
    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        return None

    def render_history_view(self, request, template, context, **kwargs):
        if template == self.object_history_template:
            context["history_entries"] = self.history_entries(request, context["page_obj"], context["object"])
        return super().render_history_view(request, template, context, **kwargs)

    def history_entries(self, request, records: Sequence[Any], obj: models.Model) -> list[HistoryEntry]:
        records = list(records)
        fields = shown_fields(self.model, self.history_hidden_fields)
        restored = self._restored_versions(records)
        user_url = self._user_link_maker(request)
        entries = []
        groups = group_edits(records)
        for index, group in enumerate(groups):
            newest, oldest = group[0], group[-1]
            if index + 1 < len(groups):
                previous = groups[index + 1][0]
            else:
                previous = oldest.prev_record if oldest.history_type != "+" else None
            changes, note = [], ""
            if newest.history_type != "-" and oldest.history_type != "+":
                if previous is None:
                    note = gettext("The first version kept: there is no earlier one to compare it with.")
                else:
                    changes = field_changes(previous, newest, fields)
            source = restored.get(newest.history_restored_from)
            action = self._action(newest, oldest, source)
            user = newest.history_user
            reasons = dict.fromkeys(
                (record.history_change_reason or "").strip()
                for record in reversed(group)
                if (record.history_change_reason or "").strip() not in EMPTY_REASONS
            )
            entries.append(
                HistoryEntry(
                    when=timezone.localtime(newest.history_date, OTTAWA),
                    when_text=local_minute(newest.history_date),
                    action=action,
                    user_name=(user.get_full_name() or user.get_username()) if user else "",
                    user_url=user_url(user) if user else None,
                    reason=" ".join(reasons),
                    version_url=self._version_url(obj, newest),
                    changes=changes,
                    restored_url=self._version_url(obj, source) if source else None,
                    note=note,
                )
            )
        return entries

    def _action(self, newest: Any, oldest: Any, source: Any | None) -> str:
        if newest.history_type == "-":
            return gettext("Deleted")
        if oldest.history_type == "+":
            return gettext("Created")
        if source is not None:
            return gettext("Restored the version of %(when)s") % {"when": local_minute(source.history_date)}
        if newest.history_restored_from:
            return gettext("Restored an earlier version")
        return gettext("Changed")

    def _restored_versions(self, records: Sequence[Any]) -> dict[int, Any]:
        ids = {record.history_restored_from for record in records if record.history_restored_from}
        if not ids:
            return {}
        return {version.history_id: version for version in self.model.history.filter(history_id__in=ids)}

    def _version_url(self, obj: models.Model, version: Any) -> str:
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_simple_history",
            args=[obj.pk, version.history_id],
        )

    def _user_link_maker(self, request):
        """Links to a staff account's page, only for a viewer allowed to open it (no link to a 403)."""
        user_model = get_user_model()
        user_admin = self.admin_site._registry.get(user_model)
        if user_admin is None or not user_admin.has_view_or_change_permission(request):
            return lambda user: None
        opts = user_model._meta

        def link(user) -> str | None:
            try:
                return reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[user.pk]
                )
            except NoReverseMatch:
                return None

        return link

    # --- Restoring an earlier version -------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404
        version = self.model.history.filter(history_id=version_id).select_related("history_user").first()
        if version is None:
            raise Http404
        request.restoring_version_id = version.history_id
        user = version.history_user
        context = {
            "version_when": local_minute(version.history_date),
            "version_user": (user.get_full_name() or user.get_username()) if user else "",
            **(extra_context or {}),
        }
        return super().history_form_view(request, object_id, version_id, context)

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("An earlier version of “%(object)s”") % {"object": obj}
        return _("Restore an earlier version of “%(object)s”") % {"object": obj}

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        version_id = getattr(request, "restoring_version_id", None)
        if version_id is not None:
            mark_as_restore(obj, version_id=version_id)
        return obj
