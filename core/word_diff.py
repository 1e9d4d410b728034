"""Text compared word by word, for people: what was removed, what was added, a little around it.

Used by the admin's history and by its edit-conflict report. Texts are cut
only between words, never inside one.
"""

import difflib
import html
import re
from dataclasses import dataclass
from typing import Literal

# Rich text is compared as the words a reader sees: block ends become spaces.
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|td|th|tr|dd|dt|caption)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """A run of words: unchanged ("same"), "removed", "added", or words left out ("gap")."""

    kind: Literal["same", "removed", "added", "gap"]
    text: str


def plain_text(value: str | None, *, rich: bool = False) -> str:
    """The words of `value`, with markup removed when it is rich text, on one line."""
    text = value or ""
    if rich:
        text = html.unescape(_TAG.sub("", _BLOCK_END.sub(" ", text)))
    return _SPACES.sub(" ", text).strip()


def shorten(text: str, *, words: int = 40) -> str:
    """`text` cut after `words` words, with an ellipsis when something was left out."""
    parts = text.split()
    if len(parts) <= words:
        return text
    return " ".join(parts[:words]) + " …"


def _kept(words: list[str], *, limit: int, at_start: bool, at_end: bool) -> list[Segment]:
    """Unchanged words, cut to `limit` on each side that touches a change."""
    if len(words) <= (0 if at_start else limit) + (0 if at_end else limit) + 1:
        return [Segment("same", " ".join(words))]
    segments = []
    if not at_start:
        segments.append(Segment("same", " ".join(words[:limit])))
    segments.append(Segment("gap", "…"))
    if not at_end:
        segments.append(Segment("same", " ".join(words[-limit:])))
    return segments


def _changed(kind: Literal["removed", "added"], words: list[str], *, limit: int) -> list[Segment]:
    """Removed or added words, with the middle of a very long run left out."""
    if len(words) <= limit:
        return [Segment(kind, " ".join(words))]
    head, tail = limit * 3 // 4, limit // 4
    return [
        Segment(kind, " ".join(words[:head])),
        Segment("gap", "…"),
        Segment(kind, " ".join(words[-tail:])),
    ]


def word_diff(old: str, new: str, *, context: int = 8, changed_limit: int = 60) -> list[Segment]:
    """Segments turning `old` into `new`, with at most `context` unchanged words around each change."""
    before, after = old.split(), new.split()
    if before == after:
        return []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    opcodes = matcher.get_opcodes()
    segments: list[Segment] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            segments += _kept(
                before[i1:i2], limit=context, at_start=index == 0, at_end=index == len(opcodes) - 1
            )
            continue
        if tag in ("replace", "delete"):
            segments += _changed("removed", before[i1:i2], limit=changed_limit)
        if tag in ("replace", "insert"):
            segments += _changed("added", after[j1:j2], limit=changed_limit)
    return segments
