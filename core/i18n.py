"""Language helpers shared by the public pages."""

import unicodedata


def collation_key(text: str) -> str:
    """Sort key that files accented letters with their base letter: "Équipes" under E.

    Good enough for English and French titles without a system locale:
    accents are removed, case folded.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
