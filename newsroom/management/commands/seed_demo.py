"""A large, deterministic demo archive in both languages, for benchmarks and manual tests.

Demo records are recognisable by their slugs (`demo-...`); running the command
again replaces them with the same content, leaving the reference content alone.
"""

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.versioned import bump_content_version
from initiatives.models import Initiative
from newsroom.models import MediaContact, NewsRelease

TOPICS = [
    ("border security", "la sécurité frontalière"),
    ("emergency preparedness", "la protection civile"),
    ("crime prevention", "la prévention du crime"),
    ("cyber security", "la cybersécurité"),
    ("flood response", "l'intervention en cas d'inondation"),
    ("firearms control", "le contrôle des armes à feu"),
    ("youth gangs", "les gangs de jeunes"),
    ("critical infrastructure", "les infrastructures essentielles"),
    ("human trafficking", "la traite des personnes"),
    ("community safety", "la sécurité communautaire"),
]
PLACES = ["OTTAWA", "TORONTO", "VANCOUVER", "MONTRÉAL", "HALIFAX", "WINNIPEG", "REGINA", "QUÉBEC"]
VERBS = [
    ("announces funding for", "annonce du financement pour"),
    ("reports progress on", "fait le point sur"),
    ("launches consultations on", "lance des consultations sur"),
    ("welcomes new measures for", "salue de nouvelles mesures pour"),
]


class Command(BaseCommand):
    help = "Create a deterministic demo archive: releases and initiatives in English and French."

    def add_arguments(self, parser):
        parser.add_argument("--releases", type=int, default=2000)
        parser.add_argument("--initiatives", type=int, default=40)
        parser.add_argument("--seed", type=int, default=2005)

    def handle(self, *args, releases: int, initiatives: int, seed: int, **options):
        if releases < 0 or initiatives < 0:
            raise CommandError("--releases and --initiatives must be zero or more.")
        rng = random.Random(seed)
        with transaction.atomic():
            NewsRelease.objects.filter(slug_en__startswith="demo-").delete()
            Initiative.objects.filter(slug_en__startswith="demo-").delete()
            demo_initiatives = self.create_initiatives(initiatives, rng)
            self.create_releases(releases, demo_initiatives, rng)
        # bulk_create sends no save signal: make every kept page stale here.
        bump_content_version()
        self.stdout.write(f"Created {releases} demo releases and {initiatives} demo initiatives.")

    def create_initiatives(self, count: int, rng: random.Random) -> list[Initiative]:
        created = []
        for n in range(1, count + 1):
            topic_en, topic_fr = TOPICS[n % len(TOPICS)]
            name_en = f"National strategy on {topic_en} ({n})"
            name_fr = f"Stratégie nationale sur {topic_fr} ({n})"
            initiative = Initiative(
                name=name_en,
                name_en=name_en,
                name_fr=name_fr,
                slug=f"demo-initiative-{n}",
                slug_en=f"demo-initiative-{n}",
                slug_fr=f"demo-initiative-fr-{n}",
                summary=f"A federal effort on {topic_en}.",
                summary_en=f"A federal effort on {topic_en}.",
                summary_fr=f"Un effort fédéral portant sur {topic_fr}.",
                body_en=f"<p>This initiative coordinates federal work on {topic_en}.</p>",
                body_fr=f"<p>Cette initiative coordonne le travail fédéral sur {topic_fr}.</p>",
                year_established=2000 + rng.randrange(0, 26),
                status=rng.choice(["active", "active", "closed"]),
            )
            initiative.save()
            created.append(initiative)
        return created

    def create_releases(self, count: int, initiatives: list[Initiative], rng: random.Random) -> None:
        contact = MediaContact.objects.order_by("pk").first()
        start = timezone.make_aware(dt.datetime(2005, 1, 3, 9, 0))
        span = (timezone.make_aware(dt.datetime(2026, 6, 30, 17, 0)) - start).total_seconds()
        types = NewsRelease.ReleaseType.values
        batch = []
        for n in range(1, count + 1):
            topic_en, topic_fr = rng.choice(TOPICS)
            verb_en, verb_fr = rng.choice(VERBS)
            published = start + dt.timedelta(seconds=int(span * n / max(count, 1)))
            published = published.replace(second=0, microsecond=0)
            place = rng.choice(PLACES)
            title_en = f"Minister {verb_en} {topic_en}"
            title_fr = f"Le ministre {verb_fr} {topic_fr}"
            paragraphs_en = "".join(
                f"<p>The Government of Canada continues its work on {topic_en}. "
                f"Paragraph {i} of release {n}.</p>"
                for i in range(1, 6)
            )
            paragraphs_fr = "".join(
                f"<p>Le gouvernement du Canada poursuit son travail sur {topic_fr}. "
                f"Paragraphe {i} du communiqué {n}.</p>"
                for i in range(1, 6)
            )
            batch.append(
                NewsRelease(
                    release_type=rng.choice(types),
                    title=title_en,
                    title_en=title_en,
                    title_fr=title_fr,
                    slug=f"demo-{n}",
                    slug_en=f"demo-{n}",
                    slug_fr=f"demo-fr-{n}",
                    summary=f"News on {topic_en}.",
                    summary_en=f"News on {topic_en}.",
                    summary_fr=f"Nouvelles sur {topic_fr}.",
                    body=paragraphs_en,
                    body_en=paragraphs_en,
                    body_fr=paragraphs_fr,
                    dateline=place,
                    dateline_en=place,
                    dateline_fr=place,
                    status="archived" if published.year < 2020 else "published",
                    published_at=published,
                    last_updated=timezone.localtime(published).date(),
                )
            )
        created = NewsRelease.objects.bulk_create(batch, batch_size=500)
        links = NewsRelease.initiatives.through
        contacts = NewsRelease.media_contacts.through
        link_rows, contact_rows = [], []
        for release in created:
            if initiatives:
                for initiative in rng.sample(initiatives, k=min(2, len(initiatives))):
                    link_rows.append(links(newsrelease_id=release.pk, initiative_id=initiative.pk))
            if contact:
                contact_rows.append(contacts(newsrelease_id=release.pk, mediacontact_id=contact.pk))
        links.objects.bulk_create(link_rows, batch_size=1000)
        contacts.objects.bulk_create(contact_rows, batch_size=1000)
