"""Searching public releases in one language.

On PostgreSQL: full-text search with the language's own configuration
(stemming, accents ignored), title weighted over summary over body, ranked,
on each release's document as stored (a column per language, kept in step by
a trigger, with its GIN index: search/migrations/0002), so that ranking
thousands of matches reads them rather than rebuilding them from the text. Elsewhere (SQLite): a
simpler search that finds every word in titles and summaries.

Callers pass releases that already start from `NewsRelease.objects.public()`.
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SNIPPET_WORDS = 40
WORD = re.compile(r"\w+")

# Text-search configurations created by search/migrations/0001.
CONFIGURATIONS = {"en": "newsroom_english", "fr": "newsroom_french"}
TABLE = '"newsroom_newsrelease"'

# ts_headline marks matches with these; the rest of its output is escaped,
# then they become <mark>. Characters no release is expected to contain.
START, STOP = "\u2997", "\u2998"


def terms_of(query: str) -> list[str]:
    """The words of a query, in order, without repeats: "symbols only" gives none."""
    seen: dict[str, None] = {}
    for word in WORD.findall(query):
        seen.setdefault(word.casefold(), None)
    return list(seen)[:MAX_TERMS]


def document_sql(language: str) -> str:
    """The weighted document of one language, stored by search/migrations/0002 and indexed."""
    return f"{TABLE}.search_document_{language}"


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def marked(text: str) -> SafeString:
    """Escape ts_headline's output, keeping only its match markers, as <mark>."""
    safe = escape(html.unescape(text or ""))
    return mark_safe(safe.replace(START, "<mark>").replace(STOP, "</mark>"))


def highlighted(text: str, terms: list[str]) -> SafeString:
    """Escape text and wrap each occurrence of a term in <mark> (the simpler search)."""
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


@dataclass
class Hit:
    release: object
    title: SafeString
    snippet: SafeString


@dataclass
class ReleaseSearch:
    query: str
    language: str

    @property
    def terms(self) -> list[str]:
        return terms_of(self.query)

    def results(self, releases: QuerySet) -> QuerySet:
        if uses_full_text():
            return self._full_text(releases)
        return self._simple(releases)

    def hits(self, releases) -> list[Hit]:
        """Each release of a page with its title and a snippet, matches highlighted."""
        return [self._hit(release) for release in releases]

    def _full_text(self, releases: QuerySet) -> QuerySet:
        config = CONFIGURATIONS[self.language]
        query = SearchQuery(self.query, config=config, search_type="websearch")
        document = RawSQL(document_sql(self.language), [], output_field=SearchVectorField())
        plain_body = Func(
            F(f"body_{self.language}"),
            Value("<[^>]+>"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
        headline = {"config": config, "start_sel": START, "stop_sel": STOP}
        return (
            releases.annotate(document=document)
            .filter(document=query)
            .annotate(
                rank=SearchRank(F("document"), query),
                title_headline=SearchHeadline(
                    F(f"title_{self.language}"), query, highlight_all=True, **headline
                ),
                snippet_headline=SearchHeadline(
                    Concat(F(f"summary_{self.language}"), Value(" "), plain_body, output_field=TextField()),
                    query,
                    max_words=SNIPPET_WORDS,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **headline,
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )

    def _simple(self, releases: QuerySet) -> QuerySet:
        title, summary = f"title_{self.language}", f"summary_{self.language}"
        everywhere, in_title = Q(), Q()
        for term in self.terms:
            everywhere &= Q(**{f"{title}__icontains": term}) | Q(**{f"{summary}__icontains": term})
            in_title &= Q(**{f"{title}__icontains": term})
        return (
            releases.filter(everywhere)
            .annotate(rank=Case(When(in_title, then=1), default=0, output_field=IntegerField()))
            .order_by("-rank", "-published_at", "-pk")
        )

    def _hit(self, release) -> Hit:
        if hasattr(release, "snippet_headline"):
            return Hit(release, marked(release.title_headline), marked(release.snippet_headline))
        title = getattr(release, f"title_{self.language}")
        text = getattr(release, f"summary_{self.language}") or strip_tags(
            getattr(release, f"body_{self.language}")
        )
        snippet = Truncator(text).words(SNIPPET_WORDS)
        return Hit(release, highlighted(title, self.terms), highlighted(snippet, self.terms))
