"""The alerts' background work, run by `manage.py db_worker` (`make worker`)."""

import datetime as dt

from django.utils import timezone

from core.tasks import task

from . import services


@task()
def send_release_alerts(*, release_id: int) -> int:
    """At the release's minute: send its alerts if it is public then (checked now, not when queued)."""
    return services.deliver_release_alerts(release_id=release_id)


@task()
def send_daily_digest(*, day: str) -> int:
    return services.deliver_digest(day=dt.date.fromisoformat(day))


@task()
def sweep(*, starting: bool = False) -> dict:
    """Each minute: claim this minute, queue the next one, then send whatever is owed.

    Only the worker that claims a minute queues the next, so however many
    workers start a round, one round a minute goes on. A worker that starts
    also sends what is owed at once, even in a minute already claimed: it may
    be taking over from one that died.
    """
    now = timezone.now()
    minute = services.this_minute(now)
    claimed = services.claim_sweep(minute)
    if claimed:
        schedule_sweep(at=minute + dt.timedelta(minutes=1))
    elif not starting:
        return {"skipped": minute.isoformat()}
    return services.sweep(now=now)


def schedule_sweep(*, at: dt.datetime | None = None, starting: bool = False) -> None:
    """Queue a round of the sweep at `at` (now if None)."""
    (sweep.using(run_after=at) if at else sweep).enqueue(starting=starting)
