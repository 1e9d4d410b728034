"""The Integrated Border Enforcement Teams initiative's French wording, corrected as a minor change.

The English says the teams "disrupted" smuggling rings; the French said they
dismantled them (« démantelé »). A fresh install loads the corrected text from
fixtures/reference.json; this brings a database loaded before to the same
text, only where the old wording is still there. The initiative gets a new
version in its history, with the reason; its "Last updated" date stays.

Undoing the migration keeps the corrected text: no schema depends on it.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Minor change: French wording revised / Modification mineure\u00a0: révision du français"

CORRECTIONS = [
    (
        "Les EIPF ont démantelé des réseaux de contrebande",
        "Les EIPF ont perturbé les activités de réseaux de contrebande",
    ),
]


def corrected(text: str) -> str:
    for old, new in CORRECTIONS:
        text = text.replace(old, new)
    return text


def record_version(apps, initiative, using):
    """What django-simple-history records on a save: the row, its partners, who (nobody) and why."""
    Initiative = apps.get_model("initiatives", "Initiative")
    history = apps.get_model("initiatives", "HistoricalInitiative").objects.using(using).create(
        **{field.attname: getattr(initiative, field.attname) for field in Initiative._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="~",
        history_user=None,
        history_change_reason=REASON,
    )
    through = Initiative._meta.get_field("partners").remote_field.through
    snapshot = apps.get_model("initiatives", "HistoricalInitiative_partners")
    snapshot.objects.using(using).bulk_create(
        snapshot(history=history, **{field.attname: getattr(row, field.attname) for field in through._meta.fields})
        for row in through.objects.using(using).filter(initiative_id=initiative.pk)
    )


def correct_french_wording(apps, schema_editor):
    using = schema_editor.connection.alias
    Initiative = apps.get_model("initiatives", "Initiative")
    initiative = Initiative.objects.using(using).filter(slug_en="integrated-border-enforcement-teams").first()
    if initiative is None or corrected(initiative.body_fr or "") == (initiative.body_fr or ""):
        return
    # update() rather than save(), which would move "Last updated" (auto_now).
    Initiative.objects.using(using).filter(pk=initiative.pk).update(body_fr=corrected(initiative.body_fr))
    initiative.refresh_from_db()
    record_version(apps, initiative, using)

    # Pages kept in the cache show the old wording until the content version moves.
    from core.versioned import bump_content_version

    bump_content_version()


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(correct_french_wording, migrations.RunPython.noop)]
