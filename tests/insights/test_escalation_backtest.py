"""The backtest of the escalation detector, and ``solidarity escalation backtest``."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from solidarity.insights.escalation import backtest, real
from solidarity.insights.escalation.simulate import EVALUATION_PERIODS, simulate

# Bounds for the 200-series backtest below (seed 11, neither the tuning nor the
# reporting seed). With 50 tripled series, pod has a standard error of about 0.07.
POD_X3_AT_LEAST = 0.35
FPR_AT_MOST = 0.02


@pytest.fixture(scope="module")
def small_report():
    methods = {k: backtest.METHODS[k] for k in ("farrington_flexible", "ears_c2")}
    return backtest.run(200, 11, methods=methods, extra_methods={})


def test_a_small_backtest_meets_the_documented_bounds(small_report):
    ours = small_report.scores["farrington_flexible"]
    assert ours["x3"].pod >= POD_X3_AT_LEAST
    assert ours["x3"].fpr <= FPR_AT_MOST
    assert ours["x2"].fpr <= FPR_AT_MOST
    assert ours["x3"].pod >= ours["x2"].pod
    assert ours["x3"].outbreaks == 50 and ours["x2"].outbreaks == 50


def test_the_detector_has_no_more_false_alerts_than_ears_c2(small_report):
    for scenario in ("x2", "x3"):
        ours = small_report.scores["farrington_flexible"][scenario]
        theirs = small_report.scores["ears_c2"][scenario]
        assert ours.fpr <= theirs.fpr


def test_the_simulation_is_reproducible_and_as_described():
    first, second = simulate(40, 5), simulate(40, 5)
    assert all(np.array_equal(a.counts, b.counts) for a, b in zip(first, second, strict=True))
    assert not np.array_equal(first[0].counts, simulate(40, 6)[0].counts)
    for index, one in enumerate(first):
        assert len(one.counts) in (60, 72, 84, 96)
        assert 0.5 <= one.level <= 30
        assert one.factor == (1, 1, 2, 3)[index % 4]
        if one.factor > 1:
            assert 1 <= one.outbreak_length <= 3
            assert one.outbreak_start >= len(one.counts) - EVALUATION_PERIODS
            assert one.outbreak_start + one.outbreak_length <= len(one.counts)
            assert one.outbreak.sum() == one.outbreak_length
        else:
            assert not one.outbreak.any()


def test_scores_count_detections_false_alerts_and_delays():
    series = simulate(8, 3)
    alerts = []
    for one in series:
        alert = np.zeros(EVALUATION_PERIODS, dtype=bool)
        if one.factor == 3:
            alert[one.outbreak_start - one.evaluation_start] = True  # at once
        if one.factor == 1:
            alert[0] = True  # one false alert per clean series
        alerts.append(alert)
    scores = backtest.score(series, alerts, 3)
    assert scores.pod == 1.0 and scores.median_delay == 0.0
    assert scores.false_alerts == 4
    assert scores.quiet_periods == 4 * EVALUATION_PERIODS + sum(
        EVALUATION_PERIODS - s.outbreak_length for s in series if s.factor == 3
    )
    assert backtest.score(series, alerts, 2).pod == 0.0
    assert backtest.score(series, alerts, 2).median_delay is None


def run_command(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("escalation", "backtest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_json_output_has_exactly_the_agreed_shape():
    out, _ = run_command("--series", "8", "--seed", "3", "--json")
    data = json.loads(out)
    assert list(data) == ["methods"]
    assert "ears_c2" in data["methods"] and "farrington_flexible" in data["methods"]
    for scores in data["methods"].values():
        assert list(scores) == ["x2", "x3"]
        for figures in scores.values():
            assert set(figures) == {"pod", "fpr", "median_delay"}
            assert 0 <= figures["pod"] <= 1 and 0 <= figures["fpr"] <= 1
            assert figures["median_delay"] is None or figures["median_delay"] >= 0


def test_the_json_output_is_reproducible_with_a_seed():
    assert (
        run_command("--series", "8", "--seed", "4", "--json")[0]
        == run_command("--series", "8", "--seed", "4", "--json")[0]
    )


def test_the_text_output_prints_the_figures_of_both_methods():
    out, _ = run_command("--series", "8", "--seed", "3")
    assert "farrington_flexible" in out and "ears_c2" in out
    assert "pod" in out and "fpr" in out and "median delay" in out


def test_the_real_series_are_skipped_with_a_message_when_the_data_is_missing(tmp_path):
    out, _ = run_command("--series", "4", "--real", str(tmp_path / "nowhere"))
    assert "Real series skipped" in out
    out, err = run_command("--series", "4", "--json", "--real", str(tmp_path / "nowhere"))
    assert json.loads(out)  # stdout: the JSON object alone
    assert "Real series skipped" in err


def test_a_chart_needs_the_real_series():
    with pytest.raises(CommandError, match="--chart needs --real"):
        run_command("--series", "4", "--chart", "x.svg")


def invented_evaldata(root):
    """Tiny files in the formats of the evaluation data, with invented rows."""
    tracker = root / real.US_TRACKER
    tracker.parent.mkdir(parents=True)
    rows = [
        "date,city,longitude,latitude,state,tags,authors,categories",
        "2014-08-01,A,0,0,X,,,Arrest",
    ]
    rng = np.random.default_rng(0)
    for year in range(2017, 2022):
        for month in range(1, 13):
            n = 40 if (year, month) == (2021, 6) else int(rng.poisson(2))
            for _ in range(n):
                rows.append(f'{year}-{month:02d}-15,A,0,0,X,,,"Physical Attack, Arrest"')
    tracker.write_text("\n".join(rows) + "\n", encoding="utf-8")
    colombia = root / real.COLOMBIA
    colombia.parent.mkdir(parents=True)
    colombia.write_text(
        "Nombre,Fecha\n" + "".join(f"X,2016-{m:02d}-03\n" for m in range(1, 13)) * 2,
        encoding="utf-8",
    )
    return root


def test_real_series_are_built_per_category_and_assessed(tmp_path):
    root = invented_evaldata(tmp_path)
    series, missing = real.load(root)
    assert [m.split(":")[0] for m in missing] == ["CPJ journalists killed"]
    tracker = {s.name: s for s in series if s.source == "US Press Freedom Tracker"}
    assert set(tracker) == {"United States × Physical Attack", "United States × Arrest"}
    attacks = tracker["United States × Physical Attack"]
    assert attacks.periods[0] == "2017-01" and attacks.periods[-1] == "2021-12"
    result = real.assess_series(attacks)
    assert "2021-06" in [period for period, _ in result.alerts("farrington_flexible")]
    out, _ = run_command("--series", "4", "--real", str(root))
    assert "2021-06: farrington_flexible 40" in out
    assert "CPJ journalists killed:" in out and "missing, skipped" in out


def test_the_environment_variable_points_to_the_evaluation_data(tmp_path, monkeypatch):
    monkeypatch.setenv(real.ENVIRONMENT_VARIABLE, str(tmp_path))
    assert real.evaldata_dir() == tmp_path
    assert real.evaldata_dir(str(tmp_path / "nowhere")) is None


@pytest.mark.skipif(real.evaldata_dir() is None, reason="no evaluation data here")
def test_the_may_2020_surge_of_attacks_on_the_us_press_is_flagged_by_both():
    series, _ = real.load(real.evaldata_dir())
    attacks = next(s for s in series if s.name == "United States × Physical Attack")
    result = real.assess_series(attacks)
    for method in ("farrington_flexible", "ears_c2"):
        assert "2020-05" in [period for period, _ in result.alerts(method)]
