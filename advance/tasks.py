"""The advance copies' background work, run by `manage.py db_worker`."""

from core.tasks import task

from . import services


@task()
def sync_advance_copies(*, release_id: int) -> int:
    """Send each recipient of the release what the release's state now owes them."""
    return services.sync_release(release_id=release_id)
