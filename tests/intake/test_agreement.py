"""Agreement between annotators, from a small invented Mechanical Turk results file."""

import csv

import pytest

from solidarity.intake.agreement import (
    DEFAULT_CSV,
    agreement,
    annotation_from_assignment,
    annotations_from_amt_csv,
)

ABUSES = [
    "arbitrary_detention",
    "enforced_disappearance",
    "kidnapping",
    "killing",
    "other",
    "torture",
]
PERPETRATORS = [
    "state_actor_1_0",
    "other_actor_na_permission_1_0",
    "other_actor_w_permission_1_0",
    "other_actor_wo_permission_1_0",
    "insufficient_info_1_0",
]
VICTIM_BOXES = [
    "victim_sex_type_man",
    "victim_sex_type_woman",
    "victim_sex_type_unkown",
    "victim_pop_type_individual",
    "victim_pop_type_multiple",
    "victim_age_group_adult",
    "victim_age_group_child",
    "victim_age_group_unknown",
    "victim_type_hrd",
    "victim_type_journalist",
    "victim_type_na",
    "victim_type_trade_unionist",
]
VICTIMS = 3


def box(name):
    return f"Answer.{name}.{name}"


def columns():
    names = ["HITId", "WorkerId", "Input.GLOBALEVENTID", "Input.title"]
    names += [box(f"abuse_type_{abuse}_1") for abuse in ABUSES]
    names += [box("perpetrator_mention_true_1"), box("perpetrator_mention_false_1")]
    names += [box(name) for name in PERPETRATORS]
    names += [
        "Answer.year_incident_1",
        "Answer.month_incident_1",
        "Answer.date_incident_1",
        "Answer.location_city_1",
        "Answer.location_region_1",
        "Answer.location_country_1",
        "Answer.location_country",
        "Answer.victim_name_example",
    ]
    for index in range(1, VICTIMS + 1):
        names += [f"Answer.victim_name_1_{index}", f"Answer.victim_keywords_1_{index}"]
        names += [box(f"{name}_1_{index}") for name in VICTIM_BOXES]
    return names


def row(hit, *, abuses=(), perpetrator=None, victims=(), **answers):
    values = {name: "" for name in columns()}
    values.update(
        {
            "HITId": f"HIT{hit}",
            "WorkerId": "worker",
            "Input.GLOBALEVENTID": str(hit),
            "Input.title": "An invented article",
            "Answer.location_country": "Saudi Arabia",  # the template's default, in every row
            "Answer.victim_name_example": "Example Person",
        }
    )
    for abuse in ABUSES:
        values[box(f"abuse_type_{abuse}_1")] = str(abuse in abuses)
    values[box("perpetrator_mention_true_1")] = str(perpetrator is not None)
    values[box("perpetrator_mention_false_1")] = str(perpetrator is None)
    for name in PERPETRATORS:
        values[box(name)] = str(name == perpetrator)
    for key, value in answers.items():
        values[f"Answer.{key}"] = value
    for index in range(1, VICTIMS + 1):
        present = index <= len(victims) or index == 1
        name, sex = victims[index - 1] if index <= len(victims) else ("", "unkown")
        if present:
            values[f"Answer.victim_name_1_{index}"] = name
            for box_name in VICTIM_BOXES:
                values[box(f"{box_name}_1_{index}")] = "False"
            values[box(f"victim_sex_type_{sex}_1_{index}")] = "True"
            values[box(f"victim_pop_type_individual_1_{index}")] = "True"
    return values


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns())
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_an_assignment_becomes_an_annotation_in_the_dataset_shape():
    annotation = annotation_from_assignment(
        row(
            1,
            abuses=["arbitrary_detention", "torture"],
            perpetrator="state_actor_1_0",
            victims=[("Ana Example", "woman"), ("Bruno Sample", "man")],
            year_incident_1="2020.0",
            month_incident_1="June",
            date_incident_1="04",
            location_city_1="Exampleville",
            location_country_1="Neverland",
        )
    )
    assert annotation["violation_types"] == ["arbitrary detention", "torture"]
    assert annotation["perpetrator_mention"] is True
    assert annotation["perpetrator_type"] == "state actor"
    assert (annotation["year"], annotation["month"], annotation["date"]) == ("2020.0", "June", "04")
    assert annotation["city"] == "Exampleville"
    assert annotation["region"] == "None"
    assert annotation["country"] == "Neverland"  # not the template's default
    assert [(v["victim_name"], v["victim_sex_type"]) for v in annotation["victims"]] == [
        ("Ana Example", "woman"),
        ("Bruno Sample", "man"),
    ]
    assert annotation["victims"][0]["victim_population_type"] == "individual"


def test_no_perpetrator_mentioned_means_no_perpetrator_type():
    values = row(1, abuses=["other"], perpetrator=None)
    values[box("insufficient_info_1_0")] = "True"
    annotation = annotation_from_assignment(values)
    assert annotation["perpetrator_mention"] is False
    assert annotation["perpetrator_type"] is None


def test_the_unknown_sex_box_misspelt_in_the_template_reads_as_unknown():
    annotation = annotation_from_assignment(row(1, victims=[("Ana Example", "unkown")]))
    assert annotation["victims"][0]["victim_sex_type"] == "unknown"


def test_an_unnamed_first_victim_is_kept_without_a_name_and_empty_slots_are_dropped():
    annotation = annotation_from_assignment(row(1))
    assert len(annotation["victims"]) == 1
    assert annotation["victims"][0]["victim_name"] is None
    assert annotation["year"] is None
    assert annotation["country"] == "None"


def test_annotations_are_grouped_by_article_in_the_files_order(tmp_path):
    path = write_csv(
        tmp_path / "batch.csv",
        [
            row(1, abuses=["killing"], year_incident_1="2020.0"),
            row(2, abuses=["other"]),
            row(1, abuses=["killing"], year_incident_1="2021.0"),
        ],
    )
    articles = annotations_from_amt_csv(path)
    assert list(articles) == ["1", "2"]
    assert [a["year"] for a in articles["1"]] == ["2020.0", "2021.0"]


def test_agreement_is_the_mean_over_ordered_pairs_of_annotators(tmp_path):
    common = {"perpetrator": "state_actor_1_0", "location_country_1": "USA"}
    path = write_csv(
        tmp_path / "batch.csv",
        [
            row(1, abuses=["killing"], victims=[("Ana Example", "woman")], **common),
            row(1, abuses=["killing"], victims=[("Ana Example", "woman")], **common),
            row(
                1,
                abuses=["killing", "torture"],
                victims=[("Ana Example", "man")],
                perpetrator="other_actor_wo_permission_1_0",
                location_country_1="United States",
            ),
        ],
    )
    scores = agreement(path)
    assert scores.articles == 1
    assert scores.country.value == 1.0
    # two of the three annotators agree: 2 of the 6 ordered pairs are right
    assert scores.perpetrator_type.value == pytest.approx(2 / 6)
    assert scores.victim_sex.value == pytest.approx(2 / 6)
    assert scores.victim_names.f1 == 1.0
    # micro-F1 per pair: 1.0 for the agreeing pair, 2/3 for the four others
    assert scores.violation_micro.f1 == pytest.approx((2 * 1.0 + 4 * (2 / 3)) / 6)


def test_a_file_that_is_not_mechanical_turk_output_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Mechanical Turk"):
        annotations_from_amt_csv(path)


def test_the_agreement_of_the_real_annotators_is_a_plausible_ceiling():
    if not DEFAULT_CSV.is_file():
        pytest.skip(f"{DEFAULT_CSV} is absent")
    articles = annotations_from_amt_csv(DEFAULT_CSV)
    assert articles
    assert all(len(answers) == 3 for answers in articles.values())
    scores = agreement(DEFAULT_CSV)
    for value in (
        scores.violation_micro.f1,
        scores.perpetrator_type.value,
        scores.country.value,
        scores.year.value,
        scores.victim_names.f1,
        scores.victim_sex.value,
    ):
        assert 0.3 < value < 1.0
