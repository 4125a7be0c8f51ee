"""The escalation detector (``insights.escalation.detect``) on small invented series."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidarity.insights.escalation import InvalidCounts, Parameters, assess, ears_c2
from solidarity.insights.escalation.detect import upper_bound


def seasonal_poisson(level: float, months: int, seed: int) -> list[int]:
    rng = np.random.default_rng(seed)
    t = np.arange(months)
    return [int(x) for x in rng.poisson(level * np.exp(0.3 * np.cos(2 * np.pi * t / 12)))]


def test_going_from_one_to_two_is_never_an_alert():
    for history in ([1] * 36, [0] * 36, [0, 1] * 18, [0, 0, 1] * 12, [1] + [0] * 47):
        result = assess([*history, 2])
        assert not result.alert, (history, result.reason)
        assert not ears_c2([*history, 2], min_count=3).alert


def test_the_published_ears_c2_rule_has_no_minimum_and_flags_one_to_two():
    assert ears_c2([1] * 36 + [2]).alert


def test_two_is_never_an_alert_whatever_the_history_and_threshold():
    lenient = Parameters(alpha=0.2, guard_periods=0)
    for seed in range(20):
        history = [int(x) for x in np.random.default_rng(seed).poisson(0.3, 40)]
        assert not assess([*history, 2], parameters=lenient).alert


def test_a_flat_series_raises_nothing():
    for level in (0, 1, 2, 5, 30, 400):
        series = [level] * 72
        for t in range(len(series)):
            assert not assess(series, period_index=t).alert, (level, t)
            assert not ears_c2(series, period_index=t).alert, (level, t)


def test_a_flat_series_expects_its_level():
    result = assess([7] * 60)
    assert result.status == "assessed"
    assert result.expected == pytest.approx(7.0, rel=1e-6)
    assert result.dispersion == 1.0
    assert result.upper >= 7


def test_a_clear_tripling_is_flagged():
    for seed in range(5):
        history = seasonal_poisson(10, 60, seed)
        result = assess([*history, 40])
        assert result.alert, result.reason
        assert result.expected == pytest.approx(10 * math.exp(0.3), rel=0.35)  # a peak month
        assert result.reason.startswith("Alert: 40 this period")


def test_an_ordinary_month_is_not_flagged_and_the_reason_says_why():
    history = seasonal_poisson(10, 60, 1)
    result = assess([*history, 10])
    assert not result.alert
    assert result.reason.startswith("No alert: 10 this period")


def test_the_minimum_count_can_be_raised_for_one_call():
    history = [0] * 40
    assert assess([*history, 3]).alert
    quiet = assess([*history, 3], min_count=4)
    assert not quiet.alert
    assert "minimum of 4" in quiet.reason


def test_the_assessed_period_uses_only_the_counts_before_it():
    history = seasonal_poisson(5, 48, 2)
    alone = assess([*history, 30])
    followed = assess([*history, 30, 0, 0, 500], period_index=48)
    assert alone == followed
    assert assess([*history, 30], period_index=-1) == alone


def test_a_seasonal_peak_is_expected_in_its_season():
    months = np.arange(72)
    series = [int(round(x)) for x in 10 * np.exp(0.8 * np.cos(2 * np.pi * months / 12))]
    peak = assess(series, period_index=60)  # a peak month (cos = 1)
    trough = assess(series, period_index=66)
    # the seasonal window (±2 months) smooths the true 22.3 and 4.5
    assert peak.expected > 15 and trough.expected < 7
    assert not peak.alert and not trough.alert


def test_a_past_outbreak_is_down_weighted():
    history = seasonal_poisson(5, 60, 3)
    history[48] = history[49] = 60
    reweighted = assess([*history, 12])
    plain = assess([*history, 12], parameters=Parameters(reweight_threshold=None))
    assert reweighted.expected < plain.expected
    assert reweighted.upper < plain.upper


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([], "empty"),
        ([1, 2, -1, 3], "negative"),
        ([1, float("nan"), 2], "no count"),
        ([1, float("inf"), 2], "no count"),
        ([1, 2.5, 2], "not a whole number"),
        ([1, None, 2], "no count"),
        (["one", "two"], "whole numbers"),
        ("123", "not a text"),
        ([[1, 2], [3, 4]], "flat sequence"),
        ([1, 2e15, 2], "too large"),
        ([True, False], "whole numbers"),
    ],
)
def test_bad_counts_give_a_clear_error(counts, message):
    for method in (assess, ears_c2):
        with pytest.raises(InvalidCounts, match=message):
            method(counts)


def test_a_period_outside_the_series_gives_a_clear_error():
    with pytest.raises(InvalidCounts, match="outside the 3 periods"):
        assess([1, 2, 3], period_index=3)
    with pytest.raises(InvalidCounts, match="outside"):
        assess([1, 2, 3], period_index=1.5)


def test_a_short_history_is_not_enough_history():
    for counts in ([5], [1, 2, 3], [3] * 24):
        result = assess(counts)
        assert result.status == "not_enough_history"
        assert not result.enough_history
        assert not result.alert and result.expected is None and result.upper is None
        assert result.reason.startswith("Not enough history")
    assert ears_c2([3] * 9).status == "not_enough_history"
    assert ears_c2([3] * 10).status == "assessed"


def test_an_all_zero_series_raises_nothing_and_says_so():
    result = assess([0] * 60)
    assert result.status == "assessed" and not result.alert
    assert result.expected == 0.0
    assert "no event" in result.reason
    assert not ears_c2([0] * 60).alert


def test_a_first_cluster_after_years_without_events_is_flagged():
    assert assess([0] * 60 + [5]).alert


def test_the_numpy_and_statsmodels_engines_agree():
    for seed in range(4):
        series = seasonal_poisson(4, 80, seed)
        series[70] += 25
        ours = assess(series, engine="numpy")
        theirs = assess(series, engine="statsmodels")
        assert ours.expected == pytest.approx(theirs.expected, rel=1e-6)
        assert ours.dispersion == pytest.approx(theirs.dispersion, rel=1e-6)
        assert ours.upper == theirs.upper and ours.alert == theirs.alert


def test_ears_c2_uses_the_seven_periods_ending_two_before():
    counts = [100, 100, 1, 2, 3, 4, 5, 6, 7, 100, 100, 20]
    result = ears_c2(counts)
    assert result.expected == pytest.approx(4.0)
    assert result.upper == pytest.approx(4.0 + 3 * np.std([1, 2, 3, 4, 5, 6, 7], ddof=1))
    assert result.alert


def test_the_upper_bound_is_a_negative_binomial_quantile():
    assert upper_bound(5.0, 1.0, 0.01) == 11.0  # Poisson
    assert upper_bound(5.0, 2.0, 0.01) == 14.0
    assert upper_bound(0.0, 3.0, 0.01) == 0.0


counts_strategy = st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=110)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=counts_strategy, min_count=st.integers(min_value=1, max_value=6))
def test_any_series_of_counts_gets_a_consistent_assessment(counts, min_count):
    result = assess(counts, min_count=min_count)
    assert result.count == counts[-1]
    if result.status == "not_enough_history":
        assert not result.alert and result.expected is None
        return
    assert math.isfinite(result.expected) and result.expected >= 0
    assert math.isfinite(result.upper) and result.upper >= 0
    assert result.dispersion >= 1.0
    assert result.alert == (result.count > result.upper and result.count >= min_count)
    if result.count < 3 and min_count >= 3:
        assert not result.alert


@settings(max_examples=100, deadline=None)
@given(
    counts=st.lists(
        st.one_of(
            st.integers(min_value=-5, max_value=50),
            st.floats(allow_nan=True, allow_infinity=True, width=32),
        ),
        max_size=60,
    )
)
def test_any_input_gives_an_assessment_or_a_clear_error(counts):
    for method in (assess, ears_c2):
        try:
            result = method(counts)
        except InvalidCounts as error:
            assert str(error)
        else:
            assert result.status in ("assessed", "not_enough_history")
