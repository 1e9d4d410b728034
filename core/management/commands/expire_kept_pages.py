from django.core.management.base import BaseCommand

from core.versioned import bump_content_version


class Command(BaseCommand):
    help = (
        "Make every kept page and cached copy stale, on every server sharing the cache. "
        "Run it after restoring the database from a backup, or after changing content outside Django."
    )

    def handle(self, *args, **options):
        bump_content_version()
        self.stdout.write("Every kept page is now stale.")
