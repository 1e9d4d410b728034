"""Django's tasks API: `django.tasks` from Django 6 on, its backport before.

Every background task of the site is declared with this `task`, so moving to
Django 6 changes this one import.
"""

try:  # pragma: no cover - Django 6 and later
    from django.tasks import task
except ImportError:
    from django_tasks import task

__all__ = ["task"]
