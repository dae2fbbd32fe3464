"""The registry's search text: what a label is found by (product, enterprise, code), in one
normalised form that the query is normalised to as well, so that a plain substring match
(`LIKE '%word%'`, served by a trigram index on PostgreSQL) finds "Café" for "cafe", "CAFÉ"
or "café", and a code typed with or without its dashes.

The text is "product | enterprise | code | compact code": on PostgreSQL the words before the
second bar are also read as an array, the label's name words (migration 0028), which the
registry searches by whole words for a query of two words or more."""

import re
import unicodedata

from certification.codes import ALPHABET

MIN_WORD = 3  # a trigram index cannot narrow a search for a shorter word: such words are not searched alone
_NOT_A_WORD = re.compile(r"[\W_]+")
_CODE_CHARACTERS = frozenset(ALPHABET.lower())


def normalise(text: str) -> str:
    """Lower case, accents dropped, every run of punctuation and space made one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_A_WORD.sub(" ", letters.casefold()).strip()


def search_text(*, product_name: str, enterprise_name: str, code: str) -> str:
    """What a label is found by; it starts with the product's name, so that ordering by it
    orders by name (case and accents aside)."""
    compact_code = code.replace("-", "").lower()
    return " | ".join((normalise(product_name), normalise(enterprise_name), normalise(code), compact_code))


def search_words(query: str) -> list[str]:
    """The words of a query that a label's search text must all contain. Words shorter than
    MIN_WORD count only when the query has nothing longer (then the whole query is one word)."""
    words = normalise(query).split()
    long = list(dict.fromkeys(word for word in words if len(word) >= MIN_WORD))  # each once, in order
    if long:
        return long
    whole = " ".join(words)
    return [whole] if len(whole) >= MIN_WORD else []


def may_be_in_a_code(word: str) -> bool:
    """Whether a word of a query could be part of a label code (whose characters exclude i, l, o
    and u): a word that could not is found in a label's search text exactly when one of its name
    words contains it."""
    return all(char in _CODE_CHARACTERS for char in word)
