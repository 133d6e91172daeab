"""Each state's legislative standing and best bill score: what the choropleth shows.

Three things tell a state's fill apart, so none depends on colour alone:

- the **hue** carries the standing (Okabe–Ito hues, safe for the common colour-vision
  deficiencies);
- a **texture** carries it too (solid, dots, stripes, cross-hatch), so "failed" and "passed" differ
  even to a reader who sees no hue at all;
- the **lightness** carries the best bill's score out of 9: the more criteria it meets, the
  darker the fill. Every step is at least 3:1 against the fill of a state without bills (WCAG
  2.1 §1.4.11, graphical objects), so a state with bills never fades into one without.

The standing and the score are also written out in words in the tooltip and in the legend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from qimap.model.schema import Status
from qimap.model.scoring import BillScore, OverallScore, Scorecard


class Standing(StrEnum):
    PASSED = "passed"
    PENDING = "pending"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NONE = "none"


class Texture(StrEnum):
    """Drawn over a fill by static/qimap/qimap-map.js (SVG patterns) and by the legend (CSS)."""

    SOLID = "solid"
    DOTS = "dots"
    STRIPES = "stripes"
    CROSSHATCH = "crosshatch"


@dataclass(frozen=True, slots=True)
class StandingStyle:
    colour: str  # the hue; the fill is this hue at the lightness of the best bill's score
    label: str
    texture: Texture = Texture.SOLID


STANDING_STYLES: dict[Standing, StandingStyle] = {
    Standing.PASSED: StandingStyle("#0072B2", "Law passed", Texture.SOLID),
    Standing.PENDING: StandingStyle("#E69F00", "Bill pending", Texture.DOTS),
    Standing.FAILED: StandingStyle(
        "#CC79A7", "Bills introduced, none passed as written", Texture.STRIPES
    ),
    Standing.UNKNOWN: StandingStyle(
        "#999999", "Bill on record, status unknown", Texture.CROSSHATCH
    ),
    Standing.NONE: StandingStyle("#F2F2F2", "No bill in qimap's data yet", Texture.SOLID),
}

# Words for the textures, for the legend (a reader who cannot tell the hues apart reads these).
TEXTURE_WORDS: dict[Texture, str] = {
    Texture.SOLID: "solid",
    Texture.DOTS: "dotted",
    Texture.STRIPES: "striped",
    Texture.CROSSHATCH: "cross-hatched",
}

NO_BILL_FILL = STANDING_STYLES[Standing.NONE].colour
MIN_CONTRAST = 3.0  # WCAG 2.1 §1.4.11: graphical objects against what is next to them
# Relative luminance of a fill whose best bill meets none of the criteria (the lightest: 3.2:1
# against NO_BILL_FILL, a margin over 3:1 for rounding to #rrggbb) and all nine (the darkest,
# still light enough for the hue to show).
LIGHTEST, DARKEST = 0.24, 0.075


def _linear(channel: float) -> float:
    """One sRGB channel (0..1) to linear light."""
    if channel <= 0.04045:
        return channel / 12.92
    return float(((channel + 0.055) / 1.055) ** 2.4)


def _gamma(channel: float) -> float:
    """Linear light back to one sRGB channel (0..1)."""
    if channel <= 0.0031308:
        return 12.92 * channel
    return float(1.055 * channel ** (1 / 2.4) - 0.055)


def _rgb(colour: str) -> tuple[float, float, float]:
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    red, green, blue = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of a ``#rrggbb`` colour: 0 for black, 1 for white."""
    red, green, blue = (_linear(c) for c in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two ``#rrggbb`` colours, from 1 (same) to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def with_luminance(colour: str, target: float) -> str:
    """``colour``'s hue at relative luminance ``target``: mixed with black to darken it, with white
    to lighten it, in linear light (where luminance mixes linearly, so the mix is exact)."""
    linear = [_linear(c) for c in _rgb(colour)]
    current = relative_luminance(colour)
    if target <= current:
        share = target / current if current else 0.0
        mixed = [c * share for c in linear]
    else:
        towards_white = (target - current) / (1 - current)
        mixed = [c + (1 - c) * towards_white for c in linear]
    return "#" + "".join(f"{round(_gamma(min(1.0, c)) * 255):02X}" for c in mixed)


def strength_fill(standing: Standing, strength: float) -> str:
    """The fill of a state of ``standing`` whose best bill has ``strength`` (0: meets none of the
    criteria, 1: all of them); a state without bills has the no-bill fill whatever its strength."""
    if standing == Standing.NONE:
        return NO_BILL_FILL
    share = min(1.0, max(0.0, strength))
    target = LIGHTEST - (LIGHTEST - DARKEST) * share
    return with_luminance(STANDING_STYLES[standing].colour, target)


@dataclass(frozen=True, slots=True)
class StateStanding:
    usps: str
    name: str
    standing: Standing
    bill_count: int
    best_bill: str | None
    best: BillScore | None  # for ranking bills (the best one); not shown
    score: OverallScore | None = None  # the best bill's score as shown: fill and words

    @property
    def strength(self) -> float:
        """The best bill's share of the criteria it meets, from its marks (0 without a score):
        the same number the tooltip says."""
        if self.score is None or not self.score.of:
            return 0.0
        return self.score.met / self.score.of

    @property
    def fill(self) -> str:
        return strength_fill(self.standing, self.strength)

    @property
    def texture(self) -> Texture:
        return STANDING_STYLES[self.standing].texture

    def describe(self) -> list[str]:
        """Plain-language lines for the tooltip."""
        lines = [STANDING_STYLES[self.standing].label]
        if self.best_bill:
            lines.append(f"Best bill: {self.best_bill}")
            if self.score is not None:
                lines.append(self.score.phrase())
        if self.bill_count > 1:
            lines.append(f"{self.bill_count} bills on record")
        return lines


def classify(cards: Sequence[Scorecard]) -> Standing:
    statuses = {card.bill.status for card in cards}
    if not cards:
        return Standing.NONE
    if Status.PASSED in statuses:
        return Standing.PASSED
    if Status.PENDING in statuses:
        return Standing.PENDING
    if statuses & {Status.FAILED, Status.SIGNIFICANTLY_AMENDED}:
        return Standing.FAILED
    return Standing.UNKNOWN


def state_standings(
    names: Mapping[str, str], cards_by_state: Mapping[str, Sequence[Scorecard]]
) -> dict[str, StateStanding]:
    standings = {}
    for usps, name in names.items():
        cards = cards_by_state.get(usps, [])
        best = max(cards, key=lambda card: card.overall.value, default=None)
        standings[usps] = StateStanding(
            usps=usps,
            name=name,
            standing=classify(cards),
            bill_count=len(cards),
            best_bill=best.bill.display_name if best else None,
            best=best.overall if best else None,
            score=best.score if best else None,
        )
    return standings
