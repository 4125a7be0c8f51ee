from datetime import date

import pytest

from solidarity.lib.fuzzydate import FuzzyDate, FuzzyDateError, Match, Precision, range_bounds


def between(start: str, end: str) -> tuple[date | None, date | None]:
    return range_bounds(FuzzyDate.parse(start), FuzzyDate.parse(end))


def test_a_year_is_the_whole_year_not_the_first_of_january():
    value = FuzzyDate.parse("2016")
    assert value.precision == Precision.YEAR
    assert value.bounds() == (date(2016, 1, 1), date(2016, 12, 31))
    assert value.iso() == "2016"


def test_a_month_spans_its_days_including_a_leap_february():
    assert FuzzyDate.parse("2016-02").bounds() == (date(2016, 2, 1), date(2016, 2, 29))
    assert FuzzyDate.parse("2015-02").bounds() == (date(2015, 2, 1), date(2015, 2, 28))


def test_a_day_is_exact():
    assert FuzzyDate.parse("2016-01-29").bounds() == (date(2016, 1, 29), date(2016, 1, 29))


def test_an_empty_date_is_unknown_and_has_no_bounds():
    value = FuzzyDate.parse("")
    assert value.precision == Precision.UNKNOWN
    assert value.bounds() == (None, None)
    assert not value.is_known


def test_a_year_is_possibly_in_a_range_of_some_of_its_months():
    assert FuzzyDate.parse("2016").match(*between("2016-03", "2016-06")) == Match.POSSIBLY_IN_RANGE


def test_a_year_is_in_range_for_that_year():
    assert FuzzyDate.parse("2016").match(*between("2016", "2016")) == Match.IN_RANGE


def test_a_day_inside_the_range_is_in_range_and_outside_is_outside():
    assert FuzzyDate.parse("2016-04-10").match(*between("2016-03", "2016-06")) == Match.IN_RANGE
    assert FuzzyDate.parse("2016-07-01").match(*between("2016-03", "2016-06")) == Match.OUTSIDE


def test_range_edges_are_inclusive():
    low, high = between("2016-03", "2016-06")
    assert FuzzyDate.parse("2016-03-01").match(low, high) == Match.IN_RANGE
    assert FuzzyDate.parse("2016-06-30").match(low, high) == Match.IN_RANGE
    assert FuzzyDate.parse("2016-02-29").match(low, high) == Match.OUTSIDE


def test_an_unknown_date_never_matches_a_range():
    assert FuzzyDate.parse("").match(*between("2016", "2016")) == Match.OUTSIDE


def test_open_ended_ranges():
    assert FuzzyDate.parse("2016").match(date(2016, 6, 1), None) == Match.POSSIBLY_IN_RANGE
    assert FuzzyDate.parse("2016").match(None, date(2017, 1, 1)) == Match.IN_RANGE


def test_sorting_puts_the_earliest_possible_day_first_narrower_before_wider_and_unknown_last():
    values = [FuzzyDate.parse(t) for t in ["", "2016", "2016-01-29", "2015-12", "2016-01"]]
    ordered = sorted(values, key=FuzzyDate.sort_key)
    assert [v.iso() for v in ordered] == ["2015-12", "2016-01", "2016", "2016-01-29", ""]


@pytest.mark.parametrize("text", ["16", "2016-13", "2016-02-30", "2016/03", "March 2016", "0000"])
def test_malformed_dates_are_refused(text):
    with pytest.raises(FuzzyDateError):
        FuzzyDate.parse(text)


def test_estimated_is_kept_and_does_not_change_the_bounds():
    value = FuzzyDate.parse("2016-03", estimated=True)
    assert value.estimated
    assert value.bounds() == FuzzyDate.parse("2016-03").bounds()
