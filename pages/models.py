"""Site chrome as data: the department's identity, menus and standard pages."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.richtext import RichTextField


class Department(models.Model):
    """Who runs this newsroom. One row; another department edits it, not code."""

    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("department")
        verbose_name_plural = _("department")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Department | None":
        return cls.objects.order_by("pk").first()


class Menu(models.Model):
    class Placement(models.TextChoices):
        HEADER = "header", _("Header links")
        TOP = "top", _("Top navigation")
        LEFT = "left", _("Left menu section")
        FOOTER = "footer", _("Footer")

    key = models.SlugField(_("key"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    placement = models.CharField(_("placement"), max_length=10, choices=Placement)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["placement", "position", "pk"]
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(placement__in=["header", "top", "left", "footer"]),
                name="menu_valid_placement",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.key


class MenuLink(models.Model):
    """A link in a menu: a path on this site or a full external address, per language."""

    menu = models.ForeignKey(Menu, verbose_name=_("menu"), on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100)
    url = models.CharField(
        _("address"), max_length=500, help_text=_("A path on this site (/en/...) or a full https:// address.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["menu", "position", "pk"]
        verbose_name = _("menu link")
        verbose_name_plural = _("menu links")

    def __str__(self) -> str:
        return self.label

    @property
    def is_external(self) -> bool:
        return self.url.startswith(("http://", "https://"))


class StandardPage(models.Model):
    """About us, Contact us, Help, Important notices and the like."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("body"))
    last_updated = models.DateField(_("last updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
        constraints = [
            models.UniqueConstraint(fields=["slug_en"], name="page_unique_slug_en"),
            models.UniqueConstraint(fields=["slug_fr"], name="page_unique_slug_fr"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:page", kwargs={"slug": self.slug})

    def get_print_url(self) -> str:
        return reverse("pages:print", kwargs={"slug": self.slug})

    @property
    def surrogate_key(self) -> str:
        """The key of the pages that show it, at the edge and in the page cache (`core.edge`)."""
        return f"page-{self.pk}"
