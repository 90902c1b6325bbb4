"""charts.LiveCurves draws what charts.curves draws, refill after refill (also shorter, after a reset)."""
import plotly.io

from bench.live_curves import LABELS, as_streamlit_does, history, same_picture
from core.topics.cnn_lab import charts
from core.live import History


def test_a_refilled_figure_draws_what_a_new_one_draws():
    live = charts.LiveCurves(LABELS)
    for h in (History(), history(10), history(60), history(3000), history(30)):  # grows, then a reset
        assert same_picture(as_streamlit_does(live.update(h)), as_streamlit_does(charts.curves([("", h)], LABELS,
                                                                                                 every_trace=True)))
    assert live.update(history(60)) is live.figure  # refilled, not rebuilt


def test_the_comparison_can_tell_pictures_apart():
    a, b = plotly.io.to_json(charts.curves([("", history(60))], LABELS, every_trace=True)), \
        plotly.io.to_json(charts.curves([("", history(61))], LABELS, every_trace=True))
    assert same_picture(a, a) and not same_picture(a, b)
