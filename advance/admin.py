"""Advance copies in the admin: a publisher adds recipients to a scheduled release, revokes, reads the log."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.dates import date_time
from newsroom.services import can_publish

from . import services
from .models import AdvanceRecipient, EmbargoedRelease


class PublishersOnly:
    def has_module_permission(self, request):
        return can_publish(request.user)

    def has_view_permission(self, request, obj=None):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return can_publish(request.user)

    def has_add_permission(self, request, obj=None):
        return can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class RecipientForm(forms.ModelForm):
    revoke = forms.BooleanField(label=_("revoke the link"), required=False)

    class Meta:
        model = AdvanceRecipient
        fields = ("name", "outlet", "email", "language")


class RecipientInline(PublishersOnly, admin.TabularInline):
    model = AdvanceRecipient
    form = RecipientForm
    extra = 1
    fields = ("name", "outlet", "email", "language", "state", "opened", "revoke")
    readonly_fields = ("state", "opened")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    @admin.display(description=_("sent"))
    def state(self, recipient) -> str:
        if recipient.pk is None:
            return ""
        if recipient.is_revoked:
            return str(
                _("Revoked on %(when)s")
                % {"when": date_format(timezone.localtime(recipient.revoked_at), "Y-m-d H:i")}
            )
        sent = recipient.messages.filter(status="sent").order_by("-created_at").first()
        if sent is None:
            return str(_("Queued"))
        return f"{sent.get_kind_display()}, {date_format(timezone.localtime(sent.sent_at), 'Y-m-d H:i')}"

    @admin.display(description=_("opened"))
    def opened(self, recipient):
        if recipient.pk is None:
            return ""
        openings = list(recipient.openings.all()[:20])
        if not openings:
            return _("Not opened")
        return format_html_join(
            ", ",
            "<time>{}</time>",
            ((date_format(timezone.localtime(o.opened_at), "Y-m-d H:i:s"),) for o in openings),
        )


@admin.register(EmbargoedRelease)
class EmbargoedReleaseAdmin(PublishersOnly, admin.ModelAdmin):
    """Releases to come, with the journalists who get them in advance."""

    inlines = [RecipientInline]
    list_display = ("title", "embargo", "recipient_count")
    fields = ("title", "embargo")
    readonly_fields = ("title", "embargo")
    actions = ["revoke_all"]

    def get_queryset(self, request):
        now = timezone.now()
        recipients = AdvanceRecipient.objects.values("release")
        return (
            super()
            .get_queryset(request)
            .filter(Q(status="published", published_at__gt=now) | Q(pk__in=recipients))
        )

    @admin.display(description=_("embargoed until"))
    def embargo(self, release) -> str:
        return date_time(release.published_at) if release.published_at else "–"

    @admin.display(description=_("recipients"))
    def recipient_count(self, release) -> int:
        return AdvanceRecipient.objects.filter(release=release).count()

    def save_model(self, request, obj, form, change):
        # The release itself is edited in its own form, never from here.
        pass

    def save_formset(self, request, form, formset, change):
        release = form.instance
        # The admin's change message reads these; the services did the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form.cleaned_data.get("DELETE"):
                continue
            data = inline_form.cleaned_data
            try:
                if inline_form.instance.pk is None:
                    services.add_recipient(
                        release=release,
                        name=data["name"],
                        outlet=data["outlet"],
                        email=data["email"],
                        language=data["language"],
                        by=request.user,
                    )
                elif data.get("revoke"):
                    services.revoke(recipients=[inline_form.instance], by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)

    @admin.action(description=_("Revoke every advance copy of the selected releases"))
    def revoke_all(self, request, queryset):
        count = sum(services.revoke_all(release=release, by=request.user) for release in queryset)
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
