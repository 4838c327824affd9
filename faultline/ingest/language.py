"""Whether a text is English: a language identifier decides, not a share of common words.

The identifier is py3langid, the maintained fork of langid.py (Lui and
Baldwin, 2012): a naive Bayes classifier over byte n-grams, trained on 97
languages across several domains, whose model ships inside the package, so
it works offline; it classifies a news article in about a millisecond, and
trafilatura (faultline's HTML reader) uses it for the same task. A count of
common English words ("the", "of", "which") failed short English news dense
with names: "Kyiv's SBU reports drone footage, filmed in mid-May, shows
Russian forces building two additional fortified positions near
Zaporizhzhia's southern border." has 9% such words and was skipped. Its
character n-grams are English all the same.

The check stays lenient: a text needs ENGLISH_MIN_WORDS words before it is
judged, and it is refused only when the identifier names another language
and gives English less than ENGLISH_MIN_PROBABILITY: a list of foreign
names in an English sentence leaves English at 0.1 or more (sometimes
behind an English-based creole), while German, French, Turkish or
Azerbaijani prose leaves it at 0.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from faultline.errors import InputError

#: English needs at least this many words before the language check judges it.
ENGLISH_MIN_WORDS = 20
#: Below this probability of English (0..1), and with another language first, a text
#: is not English.
ENGLISH_MIN_PROBABILITY = 0.05
#: Only the start of a long document is read for the language check.
ENGLISH_SAMPLE_CHARS = 20_000
#: Texts with at least this many letters need half of them in Latin script.
SCRIPT_MIN_LETTERS = 40

_WORD = re.compile(r"[^\W\d_]+")
#: Words of English prose that other languages do not use ("the", "which"): a text
#: with at least ENGLISH_SURE_SHARE of its words among them is English, and the
#: identifier (whose model takes half a second to load) is asked only about the
#: others. News prose has 15-35 % of them; German, French or Spanish prose next to
#: none. (As a test for "not English" the share failed: see the module.)
_ENGLISH_MARKS = frozenset({
    "the", "of", "and", "to", "that", "for", "with", "said", "has", "have", "were",
    "which", "from", "by", "after", "its", "their", "this", "would", "been",
})
ENGLISH_SURE_SHARE = 0.10
_KEEP = "set english_only = false to keep it"


@lru_cache(maxsize=1)
def identifier() -> Any:
    """Return py3langid's identifier, its model loaded once (about half a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def check_english(text: str) -> None:
    """Raise InputError when a text of some length is not English.

    A text mostly in a non-Latin script (Cyrillic, Arabic, Chinese...) is
    refused once it has SCRIPT_MIN_LETTERS letters, since such scripts may
    have few space-separated words; a text of ENGLISH_MIN_WORDS words or more
    is refused when the language identifier names another language first and
    gives English less than ENGLISH_MIN_PROBABILITY (see the module).
    """
    sample = text[:ENGLISH_SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) >= SCRIPT_MIN_LETTERS:
        # Basic Latin to Latin Extended-B covers English with accented names.
        latin = sum(1 for ch in letters if ord(ch) < 0x250)
        if latin / len(letters) < 0.5:
            raise InputError(
                f"not English (only {round(100 * latin / len(letters))}% of letters are "
                f"Latin script); {_KEEP}"
            )
    words = _WORD.findall(sample)
    if len(words) < ENGLISH_MIN_WORDS:
        return
    if sum(w.lower() in _ENGLISH_MARKS for w in words) >= ENGLISH_SURE_SHARE * len(words):
        return
    ranked = identifier().rank(sample)
    best, surest = ranked[0]
    english = dict(ranked).get("en", 0.0)
    if best != "en" and english < ENGLISH_MIN_PROBABILITY:
        raise InputError(
            f"not English (the language identifier says {best!r}, {surest:.0%} sure, "
            f"English {english:.0%}); {_KEEP}"
        )
