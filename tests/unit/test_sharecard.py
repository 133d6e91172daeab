import io

import pytest
from matplotlib.image import imread

from qimap.dataset import Dataset
from qimap.sharecard import card_lines, render_share_card


def test_card_says_the_best_bill_and_its_score(bundled: Dataset) -> None:
    texts = [text for text, _, _ in card_lines(bundled, "MA")]
    assert texts[0] == "Massachusetts"
    assert "Best bill: SB 945" in texts
    assert "5 of 9" in texts
    assert "End QI 3/4  ·  Start 2/5" in texts


def test_card_for_a_state_without_bills(bundled: Dataset) -> None:
    texts = [text for text, _, _ in card_lines(bundled, "WY")]
    assert "No scored bill yet." in texts


def test_card_is_a_square_png_with_ink(bundled: Dataset) -> None:
    buffer = io.BytesIO()
    render_share_card(bundled, "MA", buffer)
    buffer.seek(0)
    pixels = imread(buffer, format="png")
    assert pixels.shape[:2] == (1080, 1080)
    assert pixels.std() > 0.05


def test_unknown_state_is_refused(bundled: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown state"):
        render_share_card(bundled, "ZZ", io.BytesIO())
