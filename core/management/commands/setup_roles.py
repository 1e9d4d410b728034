from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from core.roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the Editor, Publisher and Administrator groups. Safe to run again."

    def handle(self, *args, **options):
        # Permissions of a freshly migrated database may not exist yet.
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        for role, count in setup_roles(group_model=Group, permission_model=Permission).items():
            self.stdout.write(f"{role}: {count} permissions")
