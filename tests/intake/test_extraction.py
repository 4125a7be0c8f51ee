"""What extraction proposes from a report, in English, Chinese and Spanish, with its evidence."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from solidarity.intake.extraction import extract, to_annotation
from solidarity.intake.extraction.model import MODEL_PATH
from tests.intake import intake_helpers

EVALDATA = next(
    (
        p
        for p in (
            Path(__file__).resolve().parents[3] / "shared" / "evaldata" / "hrdsattack",
            Path("/work/shared/evaldata/hrdsattack"),
        )
        if p.is_dir()
    ),
    Path("/work/shared/evaldata/hrdsattack"),
)

# Our own writing, about obviously invented people.
CHINESE = (
    "广州女权活动人士遭刑事拘留\n"
    "2023年5月12日，广州市公安局以“寻衅滋事”为由刑事拘留了女权活动人士王示例女士。"
    "她的律师表示，她目前被关押在看守所，家属至今未收到正式通知。"
)
SPANISH = (
    "Detienen a defensora de derechos humanos en Honduras\n"
    "El 3 de marzo de 2021, la policía detuvo a la defensora Ana Ejemplo en Tegucigalpa. "
    "Según su organización, fue golpeada durante el arresto y acusada de usurpación."
)
ELSEWHERE = (
    "A new bakery opens on the high street\n"
    "The bakery sells sourdough bread and pastries. The owners said the opening weekend "
    "went well and they plan to add a café next spring."
)


@pytest.fixture(scope="module")
def seed_text():
    return intake_helpers.seed_text()


def spans_text(text, spans):
    return [text[s.start : s.end] for s in spans]


def test_the_seed_statement_yields_the_centre_as_an_organisation_victim(seed_text):
    extraction = extract(seed_text)
    organisations = [v for v in extraction.victims if v.kind == "organisation"]
    assert [v.name for v in organisations] == [
        "Beijing Zhongze Women's Legal Counseling and Service Centre"
    ]
    # the evidence includes the short names the statement uses for it
    assert "Zhongze Centre" in spans_text(seed_text, organisations[0].spans)


def test_the_seed_statement_yields_forced_closure_with_its_words(seed_text):
    extraction = extract(seed_text)
    closure = next(p for p in extraction.violation_types if p.value == "forced_closure")
    assert "targeted for closure" in spans_text(seed_text, closure.spans)
    assert extraction.is_attack
    assert extraction.hrds_violation_types == ["other"]


def test_the_seed_statement_happened_in_beijing_china(seed_text):
    extraction = extract(seed_text)
    assert extraction.country.value == "CN"
    assert extraction.city.value == "Beijing"
    assert "Beijing" in spans_text(seed_text, extraction.city.spans)


def test_the_seed_statement_gives_29_january_without_inventing_a_year(seed_text):
    date_ = extract(seed_text).date
    assert (date_.year, date_.month, date_.day) == (None, 1, 29)
    assert date_.precision == "unknown"
    assert spans_text(seed_text, date_.spans) == ["29 January"]


def test_the_year_is_inferred_from_the_publication_date_and_said_so(seed_text):
    date_ = extract(seed_text, published=date(2016, 2, 9)).date
    assert (date_.year, date_.month, date_.day) == (2016, 1, 29)
    assert date_.year_inferred


def test_a_december_attack_reported_in_january_is_given_the_year_before():
    text = "Activist detained\nPolice arrested the activist Jane Example on 30 December in Lagos."
    date_ = extract(text, published=date(2021, 1, 4)).date
    assert (date_.year, date_.month, date_.day) == (2020, 12, 30)


def test_the_seed_statement_names_the_state_as_perpetrator(seed_text):
    extraction = extract(seed_text)
    assert extraction.perpetrator_type.value == "state"
    assert extraction.hrds_perpetrator_type == "state actor"
    assert "government" in " ".join(spans_text(seed_text, extraction.perpetrator_type.spans))


def test_the_seed_statement_mentions_the_three_laws_and_cedaw(seed_text):
    extraction = extract(seed_text)
    laws = [p.value for p in extraction.laws]
    assert laws == ["national security law", "draft charity law", "foreign NGO management law"]
    mechanisms = {p.value for p in extraction.un_mechanisms}
    assert "cedaw" in mechanisms
    cedaw = next(p for p in extraction.un_mechanisms if p.value == "cedaw")
    assert "CEDAW" in spans_text(seed_text, cedaw.spans)


def test_the_seed_statement_lists_the_organisations_it_mentions(seed_text):
    names = {p.value for p in extract(seed_text).organisations}
    assert {"Chinese Ministry of Justice", "Peking University", "Nanfang Daily"} <= names


def test_a_chinese_text_yields_its_country_date_violation_and_victim():
    extraction = extract(CHINESE)
    assert extraction.language == "zh"
    assert extraction.country.value == "CN"
    assert extraction.city.value == "Guangzhou"
    assert (extraction.date.year, extraction.date.month, extraction.date.day) == (2023, 5, 12)
    assert "arbitrary detention" in extraction.hrds_violation_types
    assert {"arrest", "detention_imprisonment"} & {p.value for p in extraction.violation_types}
    victim = next(v for v in extraction.victims if v.kind == "person")
    assert victim.name == "王示例"
    assert victim.sex == "female"
    assert extraction.perpetrator_type.value == "police"


def test_a_spanish_text_yields_its_country_date_violation_and_victim():
    extraction = extract(SPANISH)
    assert extraction.language == "es"
    assert extraction.country.value == "HN"
    assert extraction.city.value == "Tegucigalpa"
    assert (extraction.date.year, extraction.date.month, extraction.date.day) == (2021, 3, 3)
    assert {"arbitrary detention", "other"} <= set(extraction.hrds_violation_types)
    assert "physical_assault" in {p.value for p in extraction.violation_types}
    assert extraction.perpetrator_type.value == "police"


def test_a_text_about_something_else_is_flagged_as_no_attack():
    extraction = extract(ELSEWHERE)
    assert not extraction.is_attack
    assert extraction.violation_types == []
    assert extraction.hrds_violation_types == ["unknown"]
    assert to_annotation(extraction)["violation_types"] == ["unknown"]


def test_an_empty_text_proposes_nothing_and_does_not_fail():
    extraction = extract("   \n ")
    assert not extraction.is_attack
    assert extraction.victims == [] and extraction.country is None


def test_every_span_points_inside_the_text(seed_text):
    extraction = extract(seed_text, published=date(2016, 2, 9))
    data = extraction.to_dict()

    def walk(value):
        if isinstance(value, dict):
            if set(value) == {"start", "end"}:
                yield value
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    spans = list(walk(data))
    assert spans
    assert all(0 <= s["start"] < s["end"] <= len(seed_text) for s in spans)


def test_an_extraction_survives_a_round_trip_through_json(seed_text):
    extraction = extract(seed_text)
    again = type(extraction).from_dict(json.loads(json.dumps(extraction.to_dict())))
    assert again == extraction


def test_the_annotation_has_the_shape_of_the_dataset(seed_text):
    annotation = to_annotation(extract(seed_text, published=date(2016, 2, 9)))
    assert set(annotation) == {
        "perpetrator_mention",
        "perpetrator_type",
        "violation_types",
        "year",
        "month",
        "date",
        "city",
        "region",
        "country",
        "victims",
    }
    assert (annotation["year"], annotation["month"], annotation["date"]) == ("2016", "01", "29")
    assert annotation["country"] == "China"


def test_the_committed_model_holds_no_name_of_a_person_in_the_training_data():
    if not (EVALDATA / "train.json").exists():
        pytest.skip("the HRDsAttack data is not on this machine")
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    features = " ".join(
        re.sub(r"^[a-z0-9]+:", "", name).replace("_", " ")
        for spec in model["models"].values()
        for name in spec["weights"]
    )
    for split in ("train.json", "dev.json"):
        for item in json.loads((EVALDATA / split).read_text(encoding="utf-8")):
            for victim in item["annotations"][0]["annotation"]["victims"]:
                name = (victim.get("victim_name") or "").lower()
                if len(name.split()) >= 2:
                    assert f" {name} " not in f" {features} "
