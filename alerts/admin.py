"""Alerts in the admin: publishers see counts, administrators alone see addresses."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import date_column
from core.roles import ADMINISTRATOR
from newsroom.services import can_publish

from .models import Delivery, ReleaseAlerts, Subscription


def is_administrator(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists())


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """The list of addresses: personal information, for administrators only (and only to delete)."""

    list_display = (
        "email",
        "topic_label",
        "language",
        "frequency",
        date_column(Subscription, "confirmed_at"),
    )
    list_filter = ("follows", "frequency", "language", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    readonly_fields = (
        "email",
        "language",
        "follows",
        "release_type",
        "initiative",
        "frequency",
        "created_at",
        "confirmed_at",
    )
    fields = readonly_fields

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


def topic_counts() -> list[dict]:
    """Confirmed subscriptions per topic and pace, with no address."""
    rows = (
        Subscription.objects.confirmed()
        .values("follows", "release_type", "initiative__name", "frequency")
        .annotate(count=Count("pk"))
        .order_by("follows", "release_type", "initiative__name", "frequency")
    )
    counts: dict[str, dict] = {}
    for row in rows:
        probe = Subscription(follows=row["follows"], release_type=row["release_type"])
        label = (
            row["initiative__name"]
            if row["follows"] == Subscription.Follows.INITIATIVE
            else probe.topic_label
        )
        entry = counts.setdefault(label, {"topic": label, "immediate": 0, "daily": 0})
        entry[row["frequency"]] += row["count"]
    return list(counts.values())


def _count(*statuses: str):
    """How many of the release's alerts are in one of `statuses`, as a column of the list."""
    deliveries = (
        Delivery.objects.filter(release=OuterRef("pk"), kind=Delivery.Kind.ALERT, status__in=statuses)
        .order_by()
        .values("release")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(deliveries), Value(0))


@admin.register(ReleaseAlerts)
class ReleaseAlertsAdmin(admin.ModelAdmin):
    """Each release's alerts: waiting for its minute, queued, sent to N, failed N; subscriber counts above."""

    change_list_template = "admin/alerts/releasealerts/change_list.html"
    list_display = ("title", date_column(ReleaseAlerts, "published_at"), "alert_state")
    list_display_links = None
    search_fields = ("title_en", "title_fr")

    def has_module_permission(self, request):
        return can_publish(request.user)

    def has_view_permission(self, request, obj=None):
        return can_publish(request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(published_at__isnull=False)
            .exclude(status="draft")
            .annotate(
                alerts_queued=_count(Delivery.Status.QUEUED, Delivery.Status.SENDING),
                alerts_sent=_count(Delivery.Status.SENT),
                alerts_failed=_count(Delivery.Status.FAILED),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, extra_context={"topic_counts": topic_counts(), **(extra_context or {})}
        )

    @admin.display(description=_("alerts"))
    def alert_state(self, release) -> str:
        if release.published_at > timezone.now():
            return str(_("Waiting for its minute"))
        parts = []
        if release.alerts_queued:
            parts.append(str(_("queued: %(count)s") % {"count": release.alerts_queued}))
        parts.append(str(_("sent to %(count)s") % {"count": release.alerts_sent}))
        if release.alerts_failed:
            parts.append(str(_("failed: %(count)s") % {"count": release.alerts_failed}))
        return ", ".join(parts)
