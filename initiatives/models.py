from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.richtext import RichTextField


class PartnerAgency(models.Model):
    """An organisation that takes part in initiatives (RCMP, CBSA, ...)."""

    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")

    def __str__(self) -> str:
        if self.abbreviation:
            return f"{self.name} ({self.abbreviation})"
        return self.name


class InitiativeQuerySet(models.QuerySet):
    def public(self, now=None):
        """Initiatives the public may see: about a public release, or listed on their own.

        An initiative created for an embargoed release stays out of sight until
        the release's minute. Which releases are public is the newsroom's rule,
        asked through the releases that link here (`releases`), never written
        again here.
        """
        releases = self.model._meta.get_field("releases").related_model.objects.public(now)
        return self.filter(models.Q(listed=True) | models.Q(pk__in=releases.values("initiatives")))

    def featured(self):
        return self.filter(featured=True)


class Initiative(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120)
    summary = models.TextField(_("summary"))
    body = RichTextField(_("body"), blank=True)
    partners = models.ManyToManyField(
        PartnerAgency, verbose_name=_("partner agencies"), blank=True, related_name="initiatives"
    )
    year_established = models.PositiveSmallIntegerField(_("year established"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    listed = models.BooleanField(
        _("public on its own"),
        default=False,
        help_text=_(
            "Shown on the site even before a public release is about it. Leave unticked for an "
            "initiative announced with an embargoed release: it appears with the release, at its minute."
        ),
    )
    last_updated = models.DateField(_("last updated"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.UniqueConstraint(fields=["slug_en"], name="initiative_unique_slug_en"),
            models.UniqueConstraint(fields=["slug_fr"], name="initiative_unique_slug_fr"),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "closed"]),
                name="initiative_valid_status",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", kwargs={"slug": self.slug})

    def get_print_url(self) -> str:
        return reverse("initiatives:print", kwargs={"slug": self.slug})

    @property
    def surrogate_key(self) -> str:
        """The key of the pages that show it, at the edge and in the page cache (`core.edge`)."""
        return f"initiative-{self.pk}"
