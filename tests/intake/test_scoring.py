"""The scorer of annotations in the HRDsAttack shape, on invented annotations."""

import pytest

from solidarity.intake.scoring import (
    Scores,
    format_scores,
    mean_scores,
    normalise_country,
    normalise_month,
    score,
)


def annotation(**fields):
    base = {
        "perpetrator_mention": True,
        "perpetrator_type": "state actor",
        "violation_types": ["arbitrary detention"],
        "year": None,
        "month": None,
        "date": None,
        "city": "None",
        "region": "None",
        "country": "None",
        "victims": [],
    }
    return {**base, **fields}


def victim(name, sex="unknown"):
    return {
        "victim_idx": 1,
        "victim_population_type": "individual",
        "victim_name": name,
        "victim_keywords": "",
        "victim_type": ["human rights defender"],
        "victim_sex_type": sex,
        "victim_age_group": "adult",
    }


# violation types


def test_violation_micro_f1_counts_article_label_pairs():
    scores = score(
        [
            (
                annotation(violation_types=["killing", "torture"]),
                annotation(violation_types=["killing"]),
            ),
            (
                annotation(violation_types=["arbitrary detention"]),
                annotation(violation_types=["arbitrary detention", "other"]),
            ),
        ]
    )
    micro = scores.violation_micro
    assert (micro.tp, micro.fp, micro.fn) == (2, 1, 1)
    assert micro.precision == pytest.approx(2 / 3)
    assert micro.recall == pytest.approx(2 / 3)
    assert micro.f1 == pytest.approx(2 / 3)


def test_an_article_with_no_predicted_label_counts_as_unknown():
    scores = score([(annotation(violation_types=["unknown"]), annotation(violation_types=[]))])
    assert scores.violation_micro.f1 == 1.0
    assert scores.violation_per_label["unknown"].tp == 1


def test_an_article_with_no_gold_label_counts_as_unknown():
    scores = score([(annotation(violation_types=[]), annotation(violation_types=["killing"]))])
    assert scores.violation_per_label["unknown"].fn == 1
    assert scores.violation_per_label["killing"].fp == 1


def test_labels_outside_the_seven_are_dropped_and_case_is_ignored():
    scores = score(
        [
            (
                annotation(violation_types=["Killing"]),
                annotation(violation_types=["killing", "forced closure"]),
            )
        ]
    )
    assert scores.violation_micro.f1 == 1.0


def test_per_label_scores_and_macro_f1_over_the_labels_in_use():
    scores = score(
        [
            (annotation(violation_types=["killing"]), annotation(violation_types=["killing"])),
            (annotation(violation_types=["torture"]), annotation(violation_types=["killing"])),
        ]
    )
    killing = scores.violation_per_label["killing"]
    assert (killing.precision, killing.recall) == (0.5, 1.0)
    assert killing.f1 == pytest.approx(2 / 3)
    assert scores.violation_per_label["torture"].f1 == 0.0
    assert set(scores.violation_per_label) == {
        "arbitrary detention",
        "enforced disappearance",
        "kidnapping",
        "killing",
        "torture",
        "other",
        "unknown",
    }
    # labels neither side uses are left out of the mean
    assert scores.violation_macro_f1 == pytest.approx((2 / 3 + 0.0) / 2)


# perpetrator type


def test_perpetrator_type_ignores_case_and_spaces_and_null_equals_none():
    scores = score(
        [
            (
                annotation(perpetrator_type="state actor"),
                annotation(perpetrator_type="State  Actor "),
            ),
            (annotation(perpetrator_type=None), annotation(perpetrator_type="None")),
            (annotation(perpetrator_type="None"), annotation(perpetrator_type=None)),
            (
                annotation(perpetrator_type="state actor"),
                annotation(perpetrator_type="regional orgs"),
            ),
        ]
    )
    assert (scores.perpetrator_type.correct, scores.perpetrator_type.total) == (3, 4)
    assert scores.perpetrator_type.value == 0.75


# country


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("USA", {"US"}),
        ("United States of America", {"US"}),
        ("U.S.", {"US"}),
        ("People's Republic of China", {"CN"}),
        ("China", {"CN"}),
        ("Russia", {"RU"}),
        ("Iran", {"IR"}),
        ("Syria", {"SY"}),
        ("UK", {"GB"}),
        ("England", {"GB"}),
        ("Burma", {"MM"}),
        ("Turkey", {"TR"}),
        ("the Netherlands", {"NL"}),
        ("Nigeia", {"NG"}),
        ("Pakistani", {"PK"}),
        ("Texas", {"US"}),
        ("Greece and India", {"GR", "IN"}),
        ("None", set()),
        (None, set()),
        ("", set()),
        ("unknown", set()),
        ("Africa", set()),
        ("west Africa", set()),
        ("South America", set()),
    ],
)
def test_countries_are_normalised_to_iso_codes(value, codes):
    assert normalise_country(value) == frozenset(codes)


def test_country_aliases_match_and_no_country_matches_no_country():
    scores = score(
        [
            (annotation(country="USA"), annotation(country="US")),
            (annotation(country="People's Republic of China"), annotation(country="CN")),
            (annotation(country="Burma"), annotation(country="Myanmar")),
            (annotation(country="None"), annotation(country=None)),
            (annotation(country="Africa"), annotation(country="")),
            (annotation(country="Russia"), annotation(country="Ukraine")),
        ]
    )
    assert (scores.country.correct, scores.country.total) == (5, 6)


def test_one_country_predicted_among_several_in_the_gold_counts_as_right():
    scores = score([(annotation(country="Greece and India"), annotation(country="IN"))])
    assert scores.country.value == 1.0


def test_unresolvable_countries_compare_as_folded_text():
    assert normalise_country("Atlantis Republic") == "atlantis republic"
    scores = score(
        [(annotation(country="Atlantis  Republic"), annotation(country="atlantis republic"))]
    )
    assert scores.country.value == 1.0


# year, month, day, city


def test_years_compare_as_numbers():
    scores = score(
        [
            (annotation(year="2020.0"), annotation(year=2020)),
            (annotation(year="2020"), annotation(year="2020.0")),
            (annotation(year=None), annotation(year=None)),
            (annotation(year="unknown"), annotation(year=None)),
            (annotation(year="2019"), annotation(year=2020)),
        ]
    )
    assert (scores.year.correct, scores.year.total) == (4, 5)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("October", 10),
        ("10", 10),
        (10.0, 10),
        ("10.0", 10),
        ("07", 7),
        ("Ocober", 10),
        ("Sept", 9),
        ("N//A", None),
        ("unknown", None),
        ("2015", None),
        (None, None),
    ],
)
def test_months_are_numbers_whether_written_as_names_or_numbers(value, number):
    assert normalise_month(value) == number


def test_month_name_and_month_number_are_the_same_month():
    scores = score(
        [
            (annotation(month="October"), annotation(month="10")),
            (annotation(month="07"), annotation(month=7.0)),
            (annotation(month="March"), annotation(month="May")),
        ]
    )
    assert (scores.month.correct, scores.month.total) == (2, 3)


def test_city_month_and_day_are_scored_only_where_the_gold_states_one():
    scores = score(
        [
            (annotation(city="None", month=None, date=None), annotation()),
            (annotation(city="unknown", month="unknown", date="unknown"), annotation()),
            (
                annotation(city="Exampleville", month="June", date="4.0"),
                annotation(city="exampleville", month="6", date="4"),
            ),
            (
                annotation(city="Sampletown", month="June", date="5"),
                annotation(city="None", month=None, date=None),
            ),
        ]
    )
    assert (scores.city.correct, scores.city.total) == (1, 2)
    assert (scores.month.correct, scores.month.total) == (1, 2)
    assert (scores.day.correct, scores.day.total) == (1, 2)


def test_no_gold_city_month_or_day_gives_no_accuracy_rather_than_a_perfect_one():
    scores = score([(annotation(), annotation())])
    assert scores.city.total == 0
    assert scores.city.value is None
    assert scores.month.value is None
    assert scores.day.value is None


def test_cities_compare_without_case_accents_or_punctuation():
    scores = score(
        [
            (annotation(city="Sào Exemplo"), annotation(city="SAO EXEMPLO")),
            (annotation(city="Port-au-Example"), annotation(city="Port au Example")),
        ]
    )
    assert scores.city.value == 1.0


def test_days_out_of_range_mean_no_day():
    scores = score([(annotation(date="2021.0"), annotation(date=None))])
    assert scores.day.total == 0


# victims


def test_victim_names_are_pooled_over_articles():
    scores = score(
        [
            (
                annotation(victims=[victim("Ana Example"), victim("Bruno Sample")]),
                annotation(victims=[victim("ana  example."), victim("Carla Invented")]),
            ),
            (
                annotation(victims=[victim("Dora Placeholder")]),
                annotation(victims=[victim("Dora Placeholder")]),
            ),
        ]
    )
    names = scores.victim_names
    assert (names.tp, names.fp, names.fn) == (2, 1, 1)
    assert names.precision == pytest.approx(2 / 3)
    assert names.recall == pytest.approx(2 / 3)


def test_empty_and_placeholder_names_are_ignored_on_both_sides():
    scores = score(
        [
            (
                annotation(victims=[victim(None), victim("None"), victim("Ana Example")]),
                annotation(
                    victims=[victim("unknown"), victim("N/A"), victim(""), victim("Ana Example")]
                ),
            )
        ]
    )
    assert (scores.victim_names.tp, scores.victim_names.fp, scores.victim_names.fn) == (1, 0, 0)


def test_a_name_given_twice_counts_once():
    scores = score(
        [
            (
                annotation(victims=[victim("Ana Example")]),
                annotation(victims=[victim("Ana Example"), victim("ANA EXAMPLE")]),
            )
        ]
    )
    assert scores.victim_names.f1 == 1.0


def test_victim_sex_is_scored_over_matched_victims_only():
    scores = score(
        [
            (
                annotation(
                    victims=[
                        victim("Ana Example", "woman"),
                        victim("Bruno Sample", "man"),
                        victim("Eve Unmatched", "woman"),
                    ]
                ),
                annotation(
                    victims=[
                        victim("Ana Example", "female"),
                        victim("Bruno Sample", "unknown"),
                        victim("Frank Unmatched", "male"),
                    ]
                ),
            )
        ]
    )
    assert (scores.victim_sex.correct, scores.victim_sex.total) == (1, 2)


def test_male_and_man_are_the_same_sex():
    scores = score(
        [
            (
                annotation(victims=[victim("Bruno Sample", "man")]),
                annotation(victims=[victim("Bruno Sample", "male")]),
            )
        ]
    )
    assert scores.victim_sex.value == 1.0


# the result


def test_scores_convert_to_a_dict_and_format_as_a_table():
    scores = score([(annotation(country="USA", year="2020"), annotation(country="US", year=2020))])
    data = scores.to_dict()
    assert data["articles"] == 1
    assert data["country"]["value"] == 1.0
    assert data["violation_per_label"]["killing"]["f1"] == 0.0
    table = format_scores(scores, articles_per_second=42.0)
    for label in ("micro", "macro", "Perpetrator type", "Country", "Year", "City", "Month"):
        assert label in table
    assert "Day" in table and "Victim names" in table and "Victim sex" in table
    assert "42.0 articles per second" in table


def test_an_empty_input_gives_empty_scores():
    scores = score([])
    assert scores.articles == 0
    assert scores.year.value is None
    assert "Articles: 0" in format_scores(scores)


def test_the_mean_of_scores_averages_each_field():
    right = score([(annotation(year="2020"), annotation(year="2020"))])
    wrong = score([(annotation(year="2020"), annotation(year="2021"))])
    mean = mean_scores([right, wrong])
    assert isinstance(mean, Scores)
    assert mean.year.value == 0.5
    assert mean.city.value is None
    assert mean_scores([]).articles == 0
