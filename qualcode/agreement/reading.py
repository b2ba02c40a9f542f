"""Plain-words readings of agreement figures, after the conventions reviewers know.

These are conventions, not tests: Landis and Koch (1977) proposed bands for kappa, and
Krippendorff (2004) recommends relying on alpha of at least 0.800 and drawing only tentative
conclusions from 0.667 upwards. Say which convention you follow when you report a figure.
"""

from __future__ import annotations

__all__ = ["CONVENTIONS", "krippendorff_band", "landis_koch", "reading", "thousands"]

CONVENTIONS = (
    "Conventions, not tests: Landis & Koch (1977) read kappa 0.41–0.60 as moderate, 0.61–0.80 as "
    "substantial and above 0.80 as almost perfect; Krippendorff (2004) relies on alpha (and uα) "
    "of 0.800 or more and allows tentative conclusions from 0.667. Percent agreement ignores "
    "chance and is high whenever a code is rare."
)

_LANDIS_KOCH = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


def thousands(n: int) -> str:
    """A count with a (non-breaking) space between thousands: 80 950."""
    return f"{n:,}".replace(",", "\u00a0")


def landis_koch(value: float | None) -> str:
    """Landis & Koch's (1977) band for a kappa: poor, slight, fair, moderate, substantial, ..."""
    if value is None:
        return "undefined"
    if value < 0:
        return "poor"
    for upper, band in _LANDIS_KOCH[1:]:
        if value <= upper + 1e-12:
            return band
    return "almost perfect"


def krippendorff_band(value: float | None) -> str:
    """Krippendorff's (2004) reading of an alpha: reliable (>= 0.800), tentative (>= 0.667) or
    too low."""
    if value is None:
        return "undefined"
    if value >= 0.800 - 1e-12:
        return "reliable"
    if value >= 0.667 - 1e-12:
        return "tentative"
    return "too low"


def reading(main: str, value: float | None) -> str:
    """The reading of a level's main figure: `kappa` → Landis & Koch, alpha or uα → Krippendorff."""
    if main == "kappa":
        return landis_koch(value)
    return krippendorff_band(value)
