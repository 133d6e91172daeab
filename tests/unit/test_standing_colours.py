"""The choropleth's fills: every state with bills stands 3:1 or more against a state without
(WCAG 2.1 §1.4.11), the best bill's score darkens the fill, and standings differ by texture,
not by hue alone."""

from __future__ import annotations

import pytest

from qimap.model.scoring import OverallScore
from qimap.model.standing import (
    MIN_CONTRAST,
    NO_BILL_FILL,
    STANDING_STYLES,
    TEXTURE_WORDS,
    Standing,
    StateStanding,
    Texture,
    contrast_ratio,
    relative_luminance,
    strength_fill,
    with_luminance,
)

WITH_BILLS = [standing for standing in Standing if standing != Standing.NONE]
HALF_POINTS = [half / 2 for half in range(19)]  # 0, 0.5, …, 9 criteria met


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert relative_luminance("#0072B2") == pytest.approx(0.152, abs=0.001)


@pytest.mark.parametrize("standing", WITH_BILLS)
@pytest.mark.parametrize("met", HALF_POINTS)
def test_every_state_with_bills_stands_out_from_one_without(standing: Standing, met: float) -> None:
    fill = strength_fill(standing, met / 9)
    assert contrast_ratio(fill, NO_BILL_FILL) >= MIN_CONTRAST, (standing, met, fill)


@pytest.mark.parametrize("standing", WITH_BILLS)
def test_a_better_best_bill_fills_darker(standing: Standing) -> None:
    lightness = [relative_luminance(strength_fill(standing, met / 9)) for met in HALF_POINTS]
    assert lightness == sorted(lightness, reverse=True)
    assert lightness[0] - lightness[-1] > 0.15  # from 0 to 9 criteria: steps a reader sees


def test_standings_differ_by_more_than_hue() -> None:
    textures = [STANDING_STYLES[standing].texture for standing in WITH_BILLS]
    assert len(set(textures)) == len(textures)  # passed, pending, failed, unknown: four textures
    assert STANDING_STYLES[Standing.PASSED].texture != STANDING_STYLES[Standing.FAILED].texture
    assert STANDING_STYLES[Standing.NONE].texture == Texture.SOLID
    assert set(TEXTURE_WORDS) == set(Texture)


def test_a_state_without_bills_keeps_the_plain_fill() -> None:
    assert strength_fill(Standing.NONE, 1.0) == NO_BILL_FILL


@pytest.mark.parametrize("target", [0.05, 0.1, 0.2, 0.3, 0.6])
def test_with_luminance_hits_its_target(target: float) -> None:
    for colour in ("#0072B2", "#E69F00", "#CC79A7", "#999999"):
        assert relative_luminance(with_luminance(colour, target)) == pytest.approx(
            target, abs=0.004
        )


def test_fill_and_words_follow_the_score_shown() -> None:
    def standing(score: OverallScore | None) -> StateStanding:
        return StateStanding("MA", "Massachusetts", Standing.PASSED, 1, "SB 1", None, score)

    strong, weak = standing(OverallScore(8, 9, 0)), standing(OverallScore(2, 9, 0))
    assert relative_luminance(strong.fill) < relative_luminance(weak.fill)
    assert strong.strength == pytest.approx(8 / 9)
    assert strong.describe() == ["Law passed", "Best bill: SB 1", "Meets 8 of 9 criteria"]
    unscored = standing(None)
    assert unscored.strength == 0.0
    assert unscored.fill == strength_fill(Standing.PASSED, 0.0)
