"""What the content apps declare about themselves to the kernel.

`core` imports no content app. What it needs from them is registered here by
each app, in its `AppConfig.ready()`:

- which apps hold *content*: a save, delete or many-to-many change of one of
  their models makes the kept copies that show it stale (`core.pagecache`);
- *change keys*: which surrogate keys (`core.edge`) a change to one of
  their objects touches, so that the page cache and the edge forget only the
  pages that show it; a content model that declares none touches everything;
- *publication clocks*: when the next scheduled item becomes public, so that
  no kept copy outlives that minute (`core.versioned.next_publication_at`);
- *feed providers*: the Atom feeds a page links to in its head;
- the *page sender*: the address of the form that sends a page by e-mail,
  offered on pages that say they can be sent;
- the *subscription page*: the address of the e-mail alerts form, linked
  from every page's footer (with the page's own topic chosen, if it has one).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str


PublicationClock = Callable[[dt.datetime], dt.datetime | None]
# Called with the view of the page being shown, or None on an error page.
FeedProvider = Callable[[object | None], list[FeedLink]]

_content_apps: set[str] = set()
_change_keys: dict[str, list[Callable[[object], set[str]]]] = {}
_publication_clocks: list[PublicationClock] = []
_feed_providers: list[FeedProvider] = []
_page_sender: list[Callable[[str], str]] = []
_subscription_page: list[Callable[[object | None], str]] = []


def register_content_app(label: str) -> None:
    _content_apps.add(label)


def content_app_labels() -> frozenset[str]:
    return frozenset(_content_apps)


def register_change_keys(model, keys_of: Callable[[object], set[str]]) -> None:
    """`keys_of(obj)`: keys of pages that show `obj` (a saved object, or one with only its pk).

    Several apps may declare keys for one model (the newsroom shows
    initiatives on release pages): a change touches them all.
    """
    declared = _change_keys.setdefault(model._meta.label, [])
    if keys_of not in declared:
        declared.append(keys_of)


def change_keys(obj) -> set[str] | None:
    """The keys a change to `obj` touches, or None when no app declared any for its model."""
    declared = _change_keys.get(type(obj)._meta.label)
    if not declared:
        return None
    return {key for keys_of in declared for key in keys_of(obj)}


def register_publication_clock(clock: PublicationClock) -> None:
    if clock not in _publication_clocks:
        _publication_clocks.append(clock)


def next_scheduled_minute(now: dt.datetime) -> dt.datetime | None:
    """The soonest minute after `now` at which something registered becomes public."""
    minutes = [minute for clock in _publication_clocks if (minute := clock(now)) is not None]
    return min(minutes, default=None)


def register_feed_provider(provider: FeedProvider) -> None:
    if provider not in _feed_providers:
        _feed_providers.append(provider)


def feeds_for(view: object | None) -> list[FeedLink]:
    return [feed for provider in _feed_providers for feed in provider(view)]


def register_page_sender(send_url_for: Callable[[str], str]) -> None:
    _page_sender[:] = [send_url_for]


def send_url_for(path: str) -> str:
    """The address of the form that sends the page at `path`, or "" when no app sends pages."""
    return _page_sender[0](path) if _page_sender else ""


def register_subscription_page(subscribe_url_for: Callable[[object | None], str]) -> None:
    _subscription_page[:] = [subscribe_url_for]


def subscribe_url_for(view: object | None) -> str:
    """The address of the alerts form for the page of `view`, or "" when no app sends alerts."""
    return _subscription_page[0](view) if _subscription_page else ""
