"""Small builders for test data, complete in both languages unless told otherwise."""

import datetime as dt
import itertools

from django.utils import timezone

from initiatives.models import Initiative, PartnerAgency
from newsroom.models import MediaContact, NewsRelease
from pages.models import StandardPage

_numbers = itertools.count(1)


def make_release(**fields) -> NewsRelease:
    n = next(_numbers)
    initiatives = fields.pop("initiatives", [])
    contacts = fields.pop("media_contacts", [])
    values = {
        "release_type": NewsRelease.ReleaseType.NEWS_RELEASE,
        "title_en": f"Release number {n}",
        "title_fr": f"Communiqué numéro {n}",
        "slug_en": f"release-{n}",
        "slug_fr": f"communique-{n}",
        "summary_en": f"Summary of release {n}.",
        "summary_fr": f"Résumé du communiqué {n}.",
        "body_en": f"<p>Body of release {n}.</p>",
        "body_fr": f"<p>Texte du communiqué {n}.</p>",
        "dateline_en": "OTTAWA",
        "dateline_fr": "OTTAWA",
        "status": NewsRelease.Status.PUBLISHED,
        "published_at": timezone.now() - dt.timedelta(days=1),
    }
    values.update(fields)
    if values["published_at"] and "last_updated" not in fields:
        values["last_updated"] = timezone.localtime(values["published_at"]).date()
    release = NewsRelease.objects.create(**values)
    release.initiatives.set(initiatives)
    release.media_contacts.set(contacts)
    return release


def make_initiative(**fields) -> Initiative:
    n = next(_numbers)
    partners = fields.pop("partners", [])
    values = {
        "name_en": f"Initiative {n}",
        "name_fr": f"Initiative {n} (fr)",
        "slug_en": f"initiative-{n}",
        "slug_fr": f"initiative-fr-{n}",
        "summary_en": f"What initiative {n} does.",
        "summary_fr": f"Ce que fait l'initiative {n}.",
        "body_en": "<p>Details.</p>",
        "body_fr": "<p>Détails.</p>",
        # Public on its own unless a test says otherwise (an initiative announced with an embargo).
        "listed": True,
    }
    values.update(fields)
    initiative = Initiative.objects.create(**values)
    initiative.partners.set(partners)
    return initiative


def make_partner(**fields) -> PartnerAgency:
    n = next(_numbers)
    values = {"name_en": f"Agency {n}", "name_fr": f"Agence {n}"}
    values.update(fields)
    return PartnerAgency.objects.create(**values)


def make_contact(**fields) -> MediaContact:
    values = {
        "organisation_en": "Media Relations",
        "organisation_fr": "Relations avec les médias",
        "phone": "(613) 991-0657",
        "listed": True,
    }
    values.update(fields)
    return MediaContact.objects.create(**values)


def make_page(**fields) -> StandardPage:
    n = next(_numbers)
    values = {
        "title_en": f"Page {n}",
        "title_fr": f"Page {n} (fr)",
        "slug_en": f"page-{n}",
        "slug_fr": f"page-fr-{n}",
        "body_en": "<p>Page text.</p>",
        "body_fr": "<p>Texte de la page.</p>",
    }
    values.update(fields)
    return StandardPage.objects.create(**values)
