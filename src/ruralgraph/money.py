"""Amounts of money as Chinese sources write them, turned into yuan.

The numeral conversion itself is ``cn2an``'s (smart mode: ``1.2亿``, ``一千二百万``, ``1亿2000万``).
This wrapper does what cn2an refuses to: it strips thousands separators and the currency unit,
and it keeps qualifiers (超, 约, 多 …) as ``at_least`` / ``about`` / ``at_most`` instead of losing them.
Text whose number was stripped by the publisher (``万元``) keeps no amount at all: never a guess.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ruralgraph.errors import shown

# No amount reaches 10^14 yuan: the whole national budget is below it. Larger is a typing error.
AMOUNT_CAP = 10**14

Qualifier = Literal["at_least", "about", "at_most"]

_PREFIXES: tuple[tuple[str, Qualifier], ...] = (
    ("超过", "at_least"),
    ("超", "at_least"),
    ("逾", "at_least"),
    ("大约", "about"),
    ("约", "about"),
    ("近", "at_most"),
    ("不到", "at_most"),
)
_SUFFIXES: tuple[tuple[str, Qualifier], ...] = (("左右", "about"), ("多", "at_least"), ("余", "at_least"))
_SEPARATORS = re.compile(r"[,，\s\u3000]")
_CURRENCY = re.compile(r"(人民币|元|RMB|CNY)$", re.IGNORECASE)
_UNITS_ONLY = re.compile(r"^[万亿千百十]*$")
_NEGATIVE = re.compile(r"^[-−负]")


class AmountError(ValueError):
    """An amount that cannot be read as a single non-negative number of yuan."""


@dataclass(frozen=True)
class Amount:
    """A parsed amount: yuan (None when the text has no number), and how exact it is."""

    text: str
    cny: int | None
    qualifier: Qualifier | None


@lru_cache(maxsize=65536)  # bulk data repeats amounts; an Amount is immutable
def parse_amount(text: str) -> Amount:
    """Parse an amount such as ``超1.2亿元`` into yuan, keeping its qualifier.

    >>> parse_amount("超1.2亿元")
    Amount(text='超1.2亿元', cny=120000000, qualifier='at_least')
    >>> parse_amount("万元").cny is None
    True
    """
    original = text
    rest = _SEPARATORS.sub("", text)
    if not rest:
        raise AmountError("an amount is empty")
    qualifier: Qualifier | None = None
    for prefix, meaning in _PREFIXES:
        if rest.startswith(prefix):
            qualifier, rest = meaning, rest[len(prefix) :]
            break
    rest = _CURRENCY.sub("", rest)
    rest, qualifier = _strip_suffix_qualifier(rest, qualifier)
    if _NEGATIVE.match(rest):
        raise AmountError(f"amount {shown(original)} is negative")
    if _UNITS_ONLY.match(rest):
        # The publisher stripped the digits ("首批资金规模为万元"): the text stays, the number is unknown.
        return Amount(text=original, cny=None, qualifier=qualifier)
    try:
        import cn2an  # imported when an amount is first parsed: it costs half a second at start-up

        value = cn2an.cn2an(rest, "smart")
    except Exception as error:  # cn2an raises ValueError or KeyError for text it cannot read
        raise AmountError(f"amount {shown(original)} is not a single number of yuan") from error
    if not math.isfinite(value):
        raise AmountError(f"amount {shown(original)} is not a single number of yuan")
    if value < 0:
        raise AmountError(f"amount {shown(original)} is negative")
    if value == 0:
        raise AmountError(f"amount {shown(original)} is zero: leave an unknown amount out instead")
    if value >= AMOUNT_CAP:
        raise AmountError(
            f"amount {shown(original)} is {round(value):.3g} yuan, over the cap of 10^14 "
            "(the whole national budget is below it); check the number and its unit"
        )
    if abs(value - round(value)) > 1e-6:
        raise AmountError(f"amount {shown(original)} has a fraction of a yuan")
    return Amount(text=original, cny=round(value), qualifier=qualifier)


def _strip_suffix_qualifier(rest: str, qualifier: Qualifier | None) -> tuple[str, Qualifier | None]:
    """Remove 左右 / 多 / 余 wherever they trail a number or sit before its last unit (100多万)."""
    for suffix, meaning in _SUFFIXES:
        if rest.endswith(suffix):
            return rest[: -len(suffix)], qualifier or meaning
        for unit in ("万", "亿"):
            marked = suffix + unit
            if rest.endswith(marked):
                return rest[: -len(marked)] + unit, qualifier or meaning
    return rest, qualifier
