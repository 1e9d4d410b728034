"""Side-by-side translation in the admin: English on the left, French on the right, every translated field.

For the person doing the translation review. The page saves both languages
at once, through the model admin's own rules (`save_side_by_side`), and can
mark the review done.
"""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.forms.models import modelform_factory
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

REVIEWED_REASON = _("Translation reviewed side by side")


class SideBySideForm(forms.ModelForm):
    """A model form over the translated fields, each marked with the language of its text."""

    # Set per request by the admin: whether the save marks the review done.
    reviewed = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            code = name.rsplit("_", 1)[-1]
            if code in LANGUAGE_CODES:
                # Screen readers and spelling checkers then use the right language.
                form_field.widget.attrs["lang"] = code


class SideBySideTranslationAdmin:
    """Mixin for the ModelAdmin of a translated model: adds the side-by-side page and its link."""

    side_by_side_form = SideBySideForm
    side_by_side_template = "admin/translation/side_by_side.html"

    def translated_field_names(self) -> list[str]:
        """The model's translated fields (title, not title_en), in the model's order."""
        registered = translator.get_options_for_model(self.model).all_fields
        return [f.name for f in self.model._meta.concrete_fields if f.name in registered]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/translation/",
                self.admin_site.admin_view(self.side_by_side_view),
                name=f"{opts.app_label}_{opts.model_name}_translation",
            ),
            *super().get_urls(),
        ]

    def side_by_side_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_translation", args=[obj.pk]
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and self.has_change_permission(request, obj):
            context["side_by_side_url"] = self.side_by_side_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- What a model admin may adapt -------------------------------------

    def can_mark_translation_reviewed(self, request, obj) -> bool:
        return self.has_change_permission(request, obj)

    def side_by_side_note(self, request, obj) -> str:
        """A sentence for the page about the review, or ""."""
        return ""

    def get_side_by_side_form(self, request, obj) -> type[SideBySideForm]:
        fields = [f"{name}_{code}" for name in self.translated_field_names() for code in LANGUAGE_CODES]
        return modelform_factory(
            self.model,
            form=self.side_by_side_form,
            fields=fields,
            formfield_callback=partial(self.formfield_for_dbfield, request=request),
        )

    def save_side_by_side(self, request, form, *, reviewed: bool):
        """Save both languages; a plain model is saved like the admin's own form saves it."""
        obj = form.save(commit=False)
        obj._history_user = request.user
        if reviewed:
            obj._change_reason = str(REVIEWED_REASON)
        obj.save()
        form.save_m2m()
        self.log_change(request, obj, self.construct_change_message(request, form, []))
        return obj

    # --- The page ---------------------------------------------------------

    def side_by_side_view(self, request, object_id):
        opts = self.model._meta
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form_class = self.get_side_by_side_form(request, obj)
        can_review = self.can_mark_translation_reviewed(request, obj)
        if request.method == "POST":
            form = form_class(request.POST, instance=obj)
            form.reviewed = "_reviewed" in request.POST
            if form.is_valid():
                saved = self.save_side_by_side(request, form, reviewed=form.reviewed)
                if saved is not None:
                    done = (
                        gettext(
                            "Both languages of “%(object)s” were saved and the translation marked reviewed."
                        )
                        if form.reviewed
                        else gettext("Both languages of “%(object)s” were saved.")
                    )
                    self.message_user(request, done % {"object": saved}, messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse(
                            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
                        )
                    )
        else:
            form = form_class(instance=obj)
        return TemplateResponse(
            request, self.side_by_side_template, self.side_by_side_context(request, obj, form, can_review)
        )

    def side_by_side_context(self, request, obj, form, can_review: bool) -> dict:
        opts = self.model._meta
        languages = dict(settings.LANGUAGES)
        rows = []
        for name in self.translated_field_names():
            model_field = opts.get_field(name)
            rows.append(
                {
                    "label": capfirst(model_field.verbose_name),
                    "help": model_field.help_text,
                    "cells": [
                        {"field": form[f"{name}_{code}"], "language": languages[code], "code": code}
                        for code in LANGUAGE_CODES
                        if f"{name}_{code}" in form.fields
                    ],
                }
            )
        paired = {f"{name}_{code}" for name in self.translated_field_names() for code in LANGUAGE_CODES}
        return {
            **self.admin_site.each_context(request),
            "title": gettext("Translate side by side: %(object)s") % {"object": obj},
            "opts": opts,
            "original": obj,
            "form": form,
            "rows": rows,
            "columns": [{"code": code, "language": capfirst(languages[code])} for code in LANGUAGE_CODES],
            "other_fields": [
                form[name] for name in form.fields if name not in paired and not form[name].is_hidden
            ],
            "can_mark_reviewed": can_review,
            "note": self.side_by_side_note(request, obj),
            "media": form.media,
            "change_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
            ),
        }
