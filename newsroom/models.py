import re

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractYear
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.richtext import RichTextField
from initiatives.models import Initiative


class MediaContactQuerySet(models.QuerySet):
    def public(self):
        """Contacts the public may see: named by a public release, or listed on their own.

        A contact created for an embargoed release stays out of sight until
        the release's minute.
        """
        public_releases = NewsRelease.objects.public()
        return self.filter(models.Q(listed=True) | models.Q(pk__in=public_releases.values("media_contacts")))


class MediaContact(models.Model):
    """A reusable "For more information" block attached to releases."""

    organisation = models.CharField(_("unit or organisation"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    listed = models.BooleanField(
        _("public on its own"),
        default=False,
        help_text=_(
            "Listed in the public API even before a public release names it. Leave unticked for a "
            "contact created for an embargoed release: it becomes public with the release."
        ),
    )

    objects = MediaContactQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")

    def __str__(self) -> str:
        return " - ".join(part for part in (self.organisation, self.name) if part)

    @property
    def surrogate_key(self) -> str:
        """The key of the pages that show it, at the edge and in the page cache (`core.edge`)."""
        return f"contact-{self.pk}"


# What `reverse()` gives for a release's year and slug, as the text around
# them, per URL name, language and URL configuration (see release_address).
_ADDRESS_FORMS: dict[tuple, tuple[str, str]] = {}
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_SENTINEL_YEAR, _SENTINEL_SLUG = 1234, "release-address-sentinel"


def release_address(name: str, year: int, slug: str) -> str:
    """`reverse(name, kwargs={"year": year, "slug": slug})`, without resolving the URLs for each release.

    Listings, feeds and the sitemap write hundreds of release addresses a
    page; each `reverse()` walks the URL configuration. The address of one
    release differs from another's only by its year and slug, so the text
    around them is found once (per language, script prefix and URL
    configuration), and anything the converters would refuse or quote goes
    through `reverse()` as before.
    """
    if not (1000 <= year <= 9998 and _SLUG.match(slug)):
        return reverse(name, kwargs={"year": year, "slug": slug})
    key = (name, translation.get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    form = _ADDRESS_FORMS.get(key)
    if form is None:
        sample = reverse(name, kwargs={"year": _SENTINEL_YEAR, "slug": _SENTINEL_SLUG})
        head, found, tail = sample.partition(f"{_SENTINEL_YEAR}/{_SENTINEL_SLUG}")
        if not found or f"{_SENTINEL_YEAR}/{_SENTINEL_SLUG}" in tail:
            return reverse(name, kwargs={"year": year, "slug": slug})
        form = _ADDRESS_FORMS[key] = (head, tail)
    return f"{form[0]}{year:04d}/{slug}{form[1]}"


class NewsReleaseQuerySet(models.QuerySet):
    def public(self, now=None):
        """What the public may see: published or archived, and its minute has come.

        This is the only definition of public visibility (`NewsRelease.public_q`).
        Every page, listing, feed, sitemap, search, API and template tag starts
        from it. `now` fixes the moment, for a copy kept until the next minute.
        """
        return self.filter(NewsRelease.public_q(now))

    def filtered(self, *, release_type: str | None = None, initiative=None, year: int | None = None):
        """Only releases of one type, about one initiative (an instance or its id), of one year.

        Each filter left as None is not applied. Listings, archives, search,
        feeds and the API narrow the releases with this one method.
        """
        releases = self
        if release_type is not None:
            releases = releases.filter(release_type=release_type)
        if initiative is not None:
            releases = releases.filter(initiatives=initiative)
        if year is not None:
            releases = releases.in_year(year)
        return releases

    def scheduled(self):
        """Releases set to be public: now, or at a minute still to come (archived ones too)."""
        return self.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)

    def awaiting_publication(self, now=None):
        """Releases set to be public at a minute still to come: the embargoed ones."""
        return self.scheduled().filter(published_at__gt=now or timezone.now())

    def next_publication_minute(self, now):
        """The soonest minute after `now` at which a scheduled release becomes public."""
        return (
            self.awaiting_publication(now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def in_year(self, year: int):
        return self.filter(published_at__year=year)

    def at_address(self, *, year: int, slug: str):
        """The release whose address is /<year>/<slug>/ in the active language."""
        return self.in_year(year).filter(slug=slug)

    def formerly_at(self, *, year: int, slug: str, language: str):
        """Releases that once had `slug` in `language` and were published in `year`.

        Read from the history, so an address given out before a slug or date
        correction keeps leading to the release.
        """
        earlier = NewsRelease.history.filter(**{f"slug_{language}": slug}, published_at__year=year)
        return self.filter(pk__in=earlier.values("id"))

    def for_listing(self):
        """What a list of releases shows: no bodies, which are most of a row, in either language."""
        return self.defer("body", "dateline")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


RELEASE_TYPE_PLURALS = {
    "news_release": _("News releases"),
    "backgrounder": _("Backgrounders"),
    "statement": _("Statements"),
    "media_advisory": _("Media advisories"),
    "speech": _("Speeches"),
}


class ReleaseType(models.TextChoices):
    NEWS_RELEASE = "news_release", _("News release")
    BACKGROUNDER = "backgrounder", _("Backgrounder")
    STATEMENT = "statement", _("Statement")
    MEDIA_ADVISORY = "media_advisory", _("Media advisory")
    SPEECH = "speech", _("Speech")

    @property
    def plural(self) -> str:
        return RELEASE_TYPE_PLURALS[self]


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # Submitted by its writer; waits in the publishers' queue.
    IN_REVIEW = "in_review", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# The states in which a release is public once its minute has come; they need that minute.
PUBLIC_STATUSES = (ReleaseStatus.PUBLISHED, ReleaseStatus.ARCHIVED)
# The states of a release still being written or reviewed: never public, whatever its date.
WRITING_STATES = (ReleaseStatus.DRAFT, ReleaseStatus.IN_REVIEW)


class NewsRelease(models.Model):
    ReleaseType = ReleaseType
    Status = ReleaseStatus

    release_type = models.CharField(
        _("type"), max_length=20, choices=ReleaseType, default=ReleaseType.NEWS_RELEASE
    )
    title = models.CharField(_("title"), max_length=250)
    short_title = models.CharField(
        _("short title"),
        max_length=100,
        blank=True,
        help_text=_("Shown in the breadcrumb, for example Cross-border crime. The title is used when empty."),
    )
    slug = models.SlugField(_("slug"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("body"), blank=True)
    dateline = models.CharField(_("dateline"), max_length=80, blank=True, help_text=_("For example OTTAWA."))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publication date and time"), null=True, blank=True, db_index=True)
    last_updated = models.DateField(_("last updated"), null=True, blank=True)
    review_comment = models.TextField(
        _("comment from the review"),
        blank=True,
        help_text=_(
            "Why a publisher sent the release back to its writer; cleared when it is submitted again."
        ),
    )
    media_contacts = models.ManyToManyField(
        MediaContact, verbose_name=_("media contacts"), blank=True, related_name="releases"
    )
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("initiatives"), blank=True, related_name="releases"
    )
    review_language = models.CharField(
        _("language to review"),
        max_length=2,
        choices=Language,
        blank=True,
        help_text=_("Set when one language was edited after the other; cleared when a publisher reviews it."),
    )
    # Optimistic locking: each save increments it, and a save made from an
    # older version of the form is refused instead of overwriting.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified"), auto_now=True)

    objects = NewsReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news release")
        verbose_name_plural = _("news releases")
        get_latest_by = "published_at"
        indexes = [
            # Listings walk the archive newest first, and their count and newest
            # change date are read from the index alone, not from the wide rows.
            models.Index(
                fields=["published_at", "id"],
                include=["status", "last_updated"],
                name="release_archive_order",
            ),
        ]
        permissions = [
            ("publish_newsrelease", _("Can publish, schedule, unpublish and archive news releases")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReleaseStatus.values), name="release_valid_status"
            ),
            models.CheckConstraint(
                condition=models.Q(release_type__in=ReleaseType.values), name="release_valid_type"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=WRITING_STATES) | models.Q(published_at__isnull=False),
                name="release_published_has_date",
                violation_error_message=_("A published or archived release needs its publication time."),
            ),
            # A release's address is /<year>/<slug>/ in each language.
            models.UniqueConstraint(
                ExtractYear("published_at"),
                "slug_en",
                condition=~models.Q(slug_en=""),
                name="release_unique_slug_en_per_year",
            ),
            models.UniqueConstraint(
                ExtractYear("published_at"),
                "slug_fr",
                condition=~models.Q(slug_fr=""),
                name="release_unique_slug_fr_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(review_language__in=["", *Language.values]),
                name="release_valid_review_language",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.title_en or self.title_fr or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        if self.published_at is None or not self.slug:
            # A draft has no public address yet: staff are led to its preview.
            return reverse("newsroom:preview", kwargs={"pk": self.pk})
        return release_address("newsroom:release", self.local_published_at.year, self.slug)

    def get_print_url(self) -> str:
        return release_address("newsroom:release_print", self.local_published_at.year, self.slug)

    @property
    def surrogate_key(self) -> str:
        """The key of the pages that show it, at the edge and in the page cache (`core.edge`)."""
        return f"release-{self.pk}"

    @property
    def breadcrumb_title(self) -> str:
        return self.short_title or self.title

    @property
    def release_type_plural(self) -> str:
        """The heading of this release's type listing: "News releases (archive)" when archived."""
        plural = NewsRelease.ReleaseType(self.release_type).plural
        if self.is_archived:
            return _("%(release_type)s (archive)") % {"release_type": plural}
        return str(plural)

    @property
    def local_published_at(self):
        return timezone.localtime(self.published_at) if self.published_at else None

    @staticmethod
    def public_q(now=None) -> models.Q:
        """The publication rule as a filter: published or archived, and its minute has come."""
        return models.Q(status__in=PUBLIC_STATUSES, published_at__lte=now or timezone.now())

    def is_public_at(self, now) -> bool:
        """The publication rule for this release as it is in memory: the same as `public_q`."""
        return self.status in PUBLIC_STATUSES and self.published_at is not None and self.published_at <= now

    @property
    def is_public(self) -> bool:
        return self.is_public_at(timezone.now())

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_in_review(self) -> bool:
        return self.status == self.Status.IN_REVIEW

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def is_scheduled(self) -> bool:
        """Set to be public (published or archived), but its minute has not come yet: under embargo."""
        return (
            self.status in PUBLIC_STATUSES
            and self.published_at is not None
            and not self.is_public_at(timezone.now())
        )

    @property
    def was_public(self) -> bool:
        """Whether the stored release is out in public, so that a change to it is a correction."""
        return self.status in PUBLIC_STATUSES and not self.is_scheduled


class ReleaseCorrection(models.Model):
    """A public note on what changed in a published release, and when."""

    release = models.ForeignKey(
        NewsRelease, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("news release")
    )
    corrected_on = models.DateField(_("date"))
    note = models.CharField(_("change note"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("noted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-corrected_on", "-pk"]
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(note_en="") & ~models.Q(note_fr=""),
                name="correction_note_in_both_languages",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.corrected_on:%Y-%m-%d}: {self.note}"

    def get_absolute_url(self) -> str:
        return self.release.get_absolute_url()
