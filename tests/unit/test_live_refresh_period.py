"""ui.live.refresh_period: the live panel's timer follows what a refresh costs (issue 15)."""
import pytest

from ui.live import COST_SHARE, MAX_EVERY_S, refresh_period


@pytest.mark.parametrize("every", [0.25, 0.5])
def test_a_cheap_refresh_keeps_the_pages_period(every):
    assert refresh_period(every, None) == every
    assert refresh_period(every, 0.01) == every


def test_a_costly_refresh_gets_a_longer_period_so_it_fills_at_most_its_share():
    for cost in (0.3, 0.45, 0.7):
        period = refresh_period(0.5, cost)
        assert period > 0.5 and cost / period == pytest.approx(COST_SHARE, abs=0.01)


def test_the_period_never_exceeds_the_longest_a_learner_waits_for_news():
    assert refresh_period(0.5, 30.0) == MAX_EVERY_S and MAX_EVERY_S + 1.0 <= 3.0
