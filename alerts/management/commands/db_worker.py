"""`manage.py db_worker`: django-tasks-db's worker, which also starts the minute's sweep.

The worker runs the tasks kept in the database. When it starts, it queues a
round of the alerts' sweep (alerts.tasks.sweep), which then queues itself
for each following minute, so a worker that was down sends what it missed.
"""

from django.db import DatabaseError
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from alerts.tasks import schedule_sweep


class Command(DBWorkerCommand):
    help = "Run the background tasks (alerts, advance copies) and sweep for missed alerts each minute."

    def handle(self, *args, **options):
        try:
            schedule_sweep(starting=True)
        except DatabaseError:
            # Not migrated yet: the tasks' tables appear with `migrate`; the worker waits for them.
            self.stderr.write("The database is not ready: no sweep was queued.")
        return super().handle(*args, **options)
