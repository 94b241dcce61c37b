"""Amounts of money as integer cents: reading what a person typed, in French or English habits, never a float.

"12,50", "12.50", "12", "1 234,50", "1,234.50", "€12.50" and "12,50 €" are all read exactly. When both a comma
and a point appear, the last one separates the cents and the other groups thousands. Anything else — a minus
sign, letters, three decimals, a sum no class cooperative handles — is refused with a code the web layer
turns into a sentence; nothing is ever rounded.
"""

import re
from decimal import Decimal

MAX_CENTS = 10_000_000  # 100,000.00: far beyond any class cooperative's year; a typo beyond it
CURRENCY_SIGNS = "€"
SPACES = "\u0020\u00a0\u2009\u202f"  # space, no-break space, thin space, narrow no-break space (French)
MINUS_SIGNS = "-\u2212"
_DIGITS = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[ ,.][0-9]{3})+")
MAX_DIGITS = 12  # longer than this is "too large" before Python is ever asked to read the number


class MoneyError(ValueError):
    """An amount that cannot be read; code says why: empty, negative, not_a_number, zero,
    too_many_decimals, too_large."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _normalise(text: str) -> str:
    text = text.strip().strip(CURRENCY_SIGNS).strip()
    for space in SPACES:
        text = text.replace(space, " ")
    return text


def _split(text: str) -> tuple[str, str]:
    """(whole part, cents part): the last comma or point separates the cents, unless it is the only kind of
    separator and it appears several times (then it groups thousands, as in 1.234.567)."""
    last = max(text.rfind(","), text.rfind("."))
    if last < 0:
        return text, ""
    mark = text[last]
    other = "." if mark == "," else ","
    if other not in text and text.count(mark) > 1:
        return text, ""
    whole, cents = text[:last], text[last + 1:]
    if mark in whole or not cents:
        raise MoneyError("not_a_number")
    return whole, cents


def _whole_units(whole: str) -> int:
    if whole == "":
        return 0
    if _GROUPED.fullmatch(whole):
        whole = re.sub(r"[ ,.]", "", whole)
    if not _DIGITS.fullmatch(whole):
        raise MoneyError("not_a_number")
    if len(whole.lstrip("0")) > MAX_DIGITS:
        raise MoneyError("too_large")
    return int(whole)


def _cents_part(cents: str) -> int:
    if cents == "":
        return 0
    if not _DIGITS.fullmatch(cents):
        raise MoneyError("not_a_number")
    if len(cents) > 2:
        raise MoneyError("too_many_decimals")
    return int(cents.ljust(2, "0"))


def parse_amount(text: str | None) -> int:
    """The amount typed, in cents (an int > 0), or MoneyError."""
    text = _normalise(text or "")
    if not text:
        raise MoneyError("empty")
    if text[0] in MINUS_SIGNS:
        raise MoneyError("negative")
    whole, cents = _split(text)
    total = _whole_units(whole) * 100 + _cents_part(cents)
    if total == 0:
        raise MoneyError("zero")
    if total > MAX_CENTS:
        raise MoneyError("too_large")
    return total


def to_decimal(cents: int) -> Decimal:
    """Cents as an exact Decimal of units (1250 → Decimal("12.50")), for formatting libraries."""
    return Decimal(cents).scaleb(-2)
