"""The reference release's French wording, corrected as a minor change.

A fresh install loads the corrected text from fixtures/reference.json; this
brings a database loaded before to the same text. Each correction is made only
where the old wording is still there, so words staff have changed since stay
theirs. As with a minor change made in the admin, the release gets a new
version in its history, with the reason, and neither its "Last updated" date
nor the change notes the public reads move.

Undoing the migration keeps the corrected text: no schema depends on it.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

REASON = "Minor change: French wording revised / Modification mineure\u00a0: révision du français"

# (old wording, corrected wording) in the French body; the English is unchanged.
CORRECTIONS = [
    ("Le Partenariat est un effort trilatéral qui vise", "Le Partenariat est une initiative trilatérale qui vise"),
    ("en l’égalité des chances économiques", "dans les possibilités économiques"),
    (
        "ont créé le Forum annuel sur la criminalité transfrontalière Canada–États-Unis (FCT) afin de",
        "ont créé le Forum sur la criminalité transfrontalière Canada–États-Unis (FCT), "
        "qui se réunit chaque année, afin de",
    ),
    ("au 9e Forum", "au 9<sup>e</sup> Forum"),
    (
        "les EIPF ont démantelé avec efficacité des réseaux de contrebande",
        "les EIPF ont efficacement perturbé les activités de réseaux de contrebande",
    ),
    ("Grâce à des exercices d’échange de données", "Grâce à des activités d’échange de données"),
    ("du Bureau de la concurrence du Canada,", "du Bureau de la concurrence,"),
    ("la Loi antiterroriste a été élaborée", "la <em>Loi antiterroriste</em> a été élaborée"),
    ("La Loi antiterroriste accroît", "La <em>Loi antiterroriste</em> accroît"),
    ("pour dissuader et détecter le blanchiment d’argent", "pour prévenir et détecter le blanchiment d’argent"),
]


def corrected(text: str) -> str:
    for old, new in CORRECTIONS:
        text = text.replace(old, new)
    return text


def record_version(apps, release, using):
    """What django-simple-history records on a save: the row, its relations, who (nobody) and why."""
    NewsRelease = apps.get_model("newsroom", "NewsRelease")
    history = apps.get_model("newsroom", "HistoricalNewsRelease").objects.using(using).create(
        **{field.attname: getattr(release, field.attname) for field in NewsRelease._meta.concrete_fields},
        history_date=release.modified_at,
        history_type="~",
        history_user=None,
        history_change_reason=REASON,
    )
    for name in ("initiatives", "media_contacts"):
        through = NewsRelease._meta.get_field(name).remote_field.through
        snapshot = apps.get_model("newsroom", f"HistoricalNewsRelease_{name}")
        snapshot.objects.using(using).bulk_create(
            snapshot(history=history, **{field.attname: getattr(row, field.attname) for field in through._meta.fields})
            for row in through.objects.using(using).filter(newsrelease_id=release.pk)
        )


def correct_french_wording(apps, schema_editor):
    using = schema_editor.connection.alias
    NewsRelease = apps.get_model("newsroom", "NewsRelease")
    release = (
        NewsRelease.objects.using(using)
        .filter(slug_en="cross-border-crime", published_at__year=2005)
        .first()
    )
    if release is None or corrected(release.body_fr or "") == (release.body_fr or ""):
        return
    # update() rather than save(): a migration's models have no history of
    # their own, and "Last updated" is not a field that moves by itself.
    NewsRelease.objects.using(using).filter(pk=release.pk).update(
        body_fr=corrected(release.body_fr), version=F("version") + 1, modified_at=timezone.now()
    )
    release.refresh_from_db()
    record_version(apps, release, using)

    # Pages kept in the cache show the old wording until the content version moves.
    from core.versioned import bump_content_version

    bump_content_version()


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0005_release_archive_order_index")]

    operations = [migrations.RunPython(correct_french_wording, migrations.RunPython.noop)]
