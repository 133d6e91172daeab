import io
import itertools

import pytest
from matplotlib.image import imread

from qimap.ingest.dataset import Dataset
from qimap.render.sharecard import card_lines, render_share_card, share_card_figure


def test_card_says_the_best_bill_and_its_score(synthetic: Dataset) -> None:
    texts = [text for text, _, _ in card_lines(synthetic, "MA")]
    assert texts[0] == "Massachusetts"
    # the older SB 9001 (4.5/9) is MA's best bill, not the newer SB 9002 (3.5/9)
    assert "Best bill: SB 9001" in texts
    assert "4.5 of 9" in texts
    assert "End QI 3/4  ·  Start 1.5/5" in texts


def test_card_for_a_state_without_bills(synthetic: Dataset) -> None:
    texts = [text for text, _, _ in card_lines(synthetic, "WY")]
    assert "No scored bill yet." in texts


def test_card_is_a_square_png_with_ink(synthetic: Dataset) -> None:
    buffer = io.BytesIO()
    render_share_card(synthetic, "MA", buffer)
    buffer.seek(0)
    pixels = imread(buffer, format="png")
    assert pixels.shape[:2] == (1080, 1080)
    assert pixels.std() > 0.05


def test_unknown_state_is_refused(synthetic: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown state"):
        render_share_card(synthetic, "ZZ", io.BytesIO())


def test_every_state_card_has_its_lines_apart_and_inside_the_frame(synthetic: Dataset) -> None:
    """Drawn, not estimated: each line's rendered box stays inside the frame and above the next
    (Ohio's long standing once wrapped into the line below it)."""
    # that long standing is in the synthetic set too (GA's only bill failed)
    assert "Bills introduced, none passed as written" in [
        t for t, _, _ in card_lines(synthetic, "GA")
    ]
    for state in synthetic.state_names:
        figure = share_card_figure(synthetic, state)
        renderer = figure.canvas.get_renderer()
        boxes = [text.get_window_extent(renderer) for text in figure.texts]
        width = figure.bbox.width
        for box in boxes:
            assert 0.03 * width < box.x0, state
            assert box.x1 < 0.97 * width, state
            assert box.y0 > 0.03 * width, state
        for upper, lower in itertools.pairwise(boxes):
            assert lower.y1 <= upper.y0 + 1, (state, upper, lower)
