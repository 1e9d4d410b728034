"""Sign-in attempts counted per user name and address (django-axes)."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LoginAttemptsBackend(AxesStandaloneBackend):
    """Refuses sign-in for a locked-out user name and address.

    An `authenticate()` call made without a request (a management command, a
    script) has no client address to count attempts against, so it is left to
    the next backend rather than refused outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page shown once sign-in is locked: why, and for how long, in the reader's language."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "admin/locked_out.html", context, status=429)
