"""`loaddata` that restores history as it was, without adding to it.

django-simple-history records a new version whenever a many-to-many relation
is set, and loading a fixture or a backup sets them all: a restored database
would hold versions nobody made. History is switched off while loading; the
versions in the file are loaded as they are.
"""

from django.test.utils import override_settings
from modeltranslation.management.commands.loaddata import Command as LoadDataCommand


class Command(LoadDataCommand):
    def handle(self, *fixture_labels, **options):
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            return super().handle(*fixture_labels, **options)
