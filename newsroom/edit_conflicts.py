"""When a release was saved by someone else while you had it open: what they changed, next to what you typed.

Optimistic locking (newsroom.services) refuses a save made from an older
version. This module turns that refusal into help: it compares, field by
field, the version you opened, the one saved since and what you typed; their
changes to fields you left alone are brought into your form, fields you both
changed are marked so that you choose, and the form is set to the current
version so that the next save goes through. Nothing you typed is lost.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.admin_history import OTTAWA, ShownField, display_value, local_minute, shown_fields
from core.richtext import RichTextField, sanitize_html
from core.word_diff import Segment, plain_text, shorten, word_diff

from .models import NewsRelease

# What the form holds besides the release's fields, and what the desk reads elsewhere.
NOT_COMPARED = ("version", "review_language")


@dataclass
class ComparedField:
    """One field the other person changed: what you opened, what they saved, what you typed."""

    name: str
    label: str
    language: str
    language_code: str
    # How the field went from the version you opened to theirs, and to what you typed:
    # a word diff for text, or "before → after" for other values.
    theirs_diff: list[Segment]
    theirs_text: str
    yours_diff: list[Segment]
    yours_text: str
    # True when you had not touched it: their text is now in your form.
    merged: bool = False

    @property
    def both_changed(self) -> bool:
        return not self.merged


@dataclass
class EditConflict:
    who: str
    when: str
    fields: list[ComparedField] = field(default_factory=list)
    # The language whose fields you changed, so the form opens on its tabs.
    edited_language: str = ""

    @property
    def merged(self) -> list[ComparedField]:
        return [f for f in self.fields if f.merged]

    @property
    def both_changed(self) -> list[ComparedField]:
        return [f for f in self.fields if not f.merged]


def _last_author(stored: NewsRelease) -> str:
    last = stored.history.select_related("history_user").first()
    user = last.history_user if last else None
    if user is None:
        return gettext("someone else")
    return user.get_full_name() or user.get_username()


def _language_code(shown: ShownField) -> str:
    return shown.name.rsplit("_", 1)[-1] if shown.language else ""


def _comparable(shown: ShownField, value: Any) -> Any:
    """A value reduced to what matters to a reader, so that equal content compares equal."""
    if shown.many_to_many is not None:
        return frozenset(value)
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(shown.model_field, RichTextField):
        return sanitize_html(value or "")
    if isinstance(value, str) or value is None:
        return (value or "").strip()
    return value


def _stored_value(obj: Any, shown: ShownField) -> Any:
    """A field's value on a release or on one of its kept versions; links as a set of ids."""
    if shown.many_to_many is None:
        return getattr(obj, shown.name)
    rows = getattr(obj, shown.many_to_many.name).all()
    if isinstance(obj, NewsRelease):
        return {row.pk for row in rows}
    target = next(
        f.attname
        for f in rows.model._meta.concrete_fields
        if f.is_relation and f.related_model is shown.many_to_many.related_model
    )
    return {getattr(row, target) for row in rows}


def _typed_value(form: forms.ModelForm, shown: ShownField) -> Any:
    """What the user sent, cleaned when it could be, as submitted otherwise."""
    if shown.many_to_many is not None:
        if shown.name in form.cleaned_data:
            return {obj.pk for obj in form.cleaned_data[shown.name]}
        return {int(pk) for pk in form.data.getlist(shown.name) if pk.isdigit()}
    if shown.name in form.cleaned_data:
        return form.cleaned_data[shown.name]
    return form.data.get(shown.name, "")


def _shown(shown: ShownField, value: Any, related_names: dict) -> str:
    if shown.many_to_many is not None:
        return ", ".join(sorted(related_names.get(pk, f"#{pk}") for pk in value)) or gettext("(empty)")
    return display_value(value, shown.model_field)


def _compare(shown: ShownField, before: Any, after: Any, related_names: dict) -> tuple[list[Segment], str]:
    """How `before` became `after`: a word diff for long text, both values otherwise."""
    model_field = shown.model_field
    if isinstance(model_field, models.TextField):
        rich = isinstance(model_field, RichTextField)
        old, new = plain_text(before, rich=rich), plain_text(after, rich=rich)
        if old and new:
            return word_diff(old, new), gettext("Formatting only; the words are the same.")
        return [], shorten(new) or gettext("(empty)")
    return [], f"{_shown(shown, before, related_names)} → {_shown(shown, after, related_names)}"


def _as_form_data(data: QueryDict, form: forms.ModelForm, name: str, value: Any) -> None:
    """Put a stored value into submitted form data, as the form's widget would send it."""
    form_field = form.fields[name]
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        data.setlist(name, [str(pk) for pk in sorted(value)])
    elif isinstance(form_field, forms.SplitDateTimeField):
        local = timezone.localtime(value, OTTAWA) if value else None
        data[f"{name}_0"] = f"{local:%Y-%m-%d}" if local else ""
        data[f"{name}_1"] = f"{local:%H:%M:%S}" if local else ""
    elif isinstance(value, dt.date):
        data[name] = value.isoformat()
    else:
        data[name] = "" if value is None else str(value)


def report_conflict(*, form: forms.ModelForm, stored: NewsRelease) -> EditConflict:
    """Explain on `form` that `stored` moved on since the version the user opened, and prepare a merge.

    Adds the errors (one for the form, one on each field both people changed),
    brings the other person's changes to untouched fields into the form's
    data, sets the form to the stored version, and leaves the comparison on
    `form.edit_conflict` for the template.
    """
    started = form.cleaned_data.get("version")
    opened = stored.history.filter(version=started).order_by("-history_date").first() if started else None
    fields = [
        shown
        for shown in shown_fields(NewsRelease, NOT_COMPARED)
        if shown.name in form.fields or (shown.many_to_many and shown.many_to_many.name in form.fields)
    ]
    related_names: dict = {}
    for shown in fields:
        if shown.many_to_many is not None:
            model = shown.many_to_many.related_model
            related_names.update({obj.pk: str(obj) for obj in model._default_manager.all()})

    conflict = EditConflict(who=_last_author(stored), when=local_minute(stored.modified_at))
    data = form.data.copy()
    edited: dict[str, int] = {}
    for shown in fields:
        theirs = _stored_value(stored, shown)
        yours = _typed_value(form, shown)
        base = _stored_value(opened, shown) if opened is not None else theirs
        they_changed = opened is None or _comparable(shown, theirs) != _comparable(shown, base)
        you_changed = _comparable(shown, yours) != _comparable(shown, base)
        code = _language_code(shown)
        if you_changed and code:
            edited[code] = edited.get(code, 0) + 1
        if not they_changed or _comparable(shown, theirs) == _comparable(shown, yours):
            continue
        if opened is not None and not you_changed:
            _as_form_data(data, form, shown.name, theirs)
            merged = True
        else:
            merged = False
            form.add_error(
                shown.name,
                gettext("%(who)s also changed this field: compare their text with yours above, then save.")
                % {"who": conflict.who},
            )
        theirs_diff, theirs_text = _compare(shown, base, theirs, related_names)
        yours_diff, yours_text = _compare(shown, base, yours, related_names) if not merged else ([], "")
        conflict.fields.append(
            ComparedField(
                name=shown.name,
                label=shown.label,
                language=shown.language,
                language_code=code,
                theirs_diff=theirs_diff,
                theirs_text=theirs_text,
                yours_diff=yours_diff,
                yours_text=yours_text,
                merged=merged,
            )
        )
    if edited:
        conflict.edited_language = max(edited, key=lambda code: edited[code])
    data["version"] = str(stored.version)
    form.data = data
    form.add_error(None, conflict_summary(conflict))
    form.edit_conflict = conflict
    return conflict


def conflict_summary(conflict: EditConflict) -> str:
    """The form's error: who saved, when, and what to do now, in the reader's language."""
    parts = [
        gettext(
            "This release was changed by %(who)s on %(when)s, after you opened it. "
            "Nothing was saved, and what you typed is still in the form."
        )
        % {"who": conflict.who, "when": conflict.when}
    ]
    if conflict.merged:
        count = len(conflict.merged)
        parts.append(
            ngettext(
                "Their change to %(count)d field you had not touched is now in the form.",
                "Their changes to %(count)d fields you had not touched are now in the form.",
                count,
            )
            % {"count": count}
        )
    if conflict.both_changed:
        parts.append(
            gettext("You both changed the fields marked below: compare, keep the text you want, then save.")
        )
    else:
        parts.append(gettext("Check the comparison below, then save again."))
    return " ".join(parts)
