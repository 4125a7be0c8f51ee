"""``solidarity intake evaluate`` and ``intake agreement`` on small invented files."""

import importlib
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from solidarity.intake.agreement import EVALDATA
from solidarity.intake.management.commands import intake as intake_command


def gold(**fields):
    base = {
        "perpetrator_mention": True,
        "perpetrator_type": "state actor",
        "violation_types": ["arbitrary detention"],
        "year": "2020.0",
        "month": "October",
        "date": "4.0",
        "city": "Exampleville",
        "region": "None",
        "country": "USA",
        "victims": [
            {
                "victim_idx": 1,
                "victim_population_type": "individual",
                "victim_name": "Ana Example",
                "victim_keywords": "lawyer",
                "victim_type": ["human rights defender"],
                "victim_sex_type": "woman",
                "victim_age_group": "adult",
            }
        ],
    }
    return {**base, **fields}


def article(event_id, title, paragraphs, annotation, published="2020-10-06 02:48:13"):
    return {
        "sample": {
            "Input.GLOBALEVENTID": event_id,
            "Input.title": title,
            "Input.publish_date": published,
            "Input.article_interface": " ".join(f"<p>{p}</p>" for p in paragraphs),
            "Input.batch_idx": 1,
            "HIT_id": f"HIT{event_id}",
        },
        "annotations": [{"worker_id": "w", "work_time_in_seconds": 1, "annotation": annotation}],
    }


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "tiny.json"
    items = [
        article(
            101,
            "Lawyer &amp; defender detained",
            ["EXAMPLEVILLE", "Ana Example was detained on 4 October &quot;without charge&quot;."],
            gold(),
        ),
        article(
            102,
            "Nothing happened",
            ["A quiet day."],
            gold(
                violation_types=["unknown"],
                city="None",
                month=None,
                date=None,
                year=None,
                country="None",
                perpetrator_type=None,
                victims=[],
            ),
            published="2021-01-26 21:12:14.177000",
        ),
        article(103, "Third", ["More."], gold(), published="2020-07-19 03:10:27+05:30"),
    ]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


@pytest.fixture
def extraction(monkeypatch):
    """A stand-in for the extraction: right on the first article, empty on the others."""
    calls = []

    def extract(text, *, published=None, language=None):
        calls.append((text, published))
        return {"text": text}

    def to_annotation(extracted):
        if "Ana Example" in extracted["text"]:
            return gold(country="United States", year=2020, month="10", date="4")
        return {"violation_types": []}

    monkeypatch.setattr(intake_command, "load_extraction", lambda: (extract, to_annotation))
    return calls


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("intake", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_evaluate_prints_every_field_and_the_speed(dataset, extraction):
    out, _ = run("evaluate", str(dataset))
    assert "Articles: 3" in out
    assert "articles per second" in out
    for field in (
        "micro",
        "macro",
        "arbitrary detention",
        "Victim names",
        "Perpetrator type",
        "Country",
        "Year",
        "City",
        "Month",
        "Day",
        "Victim sex",
    ):
        assert field in out
    assert "articles whose gold states a city" in out


def test_evaluate_gives_the_extraction_the_title_then_one_paragraph_per_line(dataset, extraction):
    run("evaluate", str(dataset))
    text, published = extraction[0]
    assert text.splitlines() == [
        "Lawyer & defender detained",
        "EXAMPLEVILLE",
        'Ana Example was detained on 4 October "without charge".',
    ]
    assert published == date(2020, 10, 6)
    assert [call[1] for call in extraction[1:]] == [date(2021, 1, 26), date(2020, 7, 19)]


def test_evaluate_writes_one_prediction_line_per_article(dataset, extraction, tmp_path):
    predictions = tmp_path / "out.jsonl"
    run("evaluate", str(dataset), "--predictions", str(predictions))
    lines = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [101, 102, 103]
    assert lines[0]["annotation"]["country"] == "United States"
    assert lines[0]["annotation"]["victims"][0]["victim_name"] == "Ana Example"
    assert lines[1]["annotation"] == {"violation_types": []}


def test_evaluate_scores_as_json_with_a_limit(dataset, extraction):
    out, _ = run("evaluate", str(dataset), "--limit", "2", "--json")
    data = json.loads(out)
    assert data["articles"] == 2
    assert data["country"] == {"correct": 2, "total": 2, "value": 1.0}
    assert data["year"]["value"] == 1.0
    assert data["city"]["total"] == 1
    assert data["victim_names"]["f1"] == 1.0
    assert data["victim_sex"]["value"] == 1.0
    assert data["violation_micro"]["f1"] == 1.0
    assert data["articles_per_second"] > 0
    assert len(extraction) == 2


def test_evaluate_reports_progress_on_long_runs(tmp_path, extraction):
    path = tmp_path / "long.json"
    path.write_text(
        json.dumps([article(n, "T", ["P."], gold()) for n in range(30)]), encoding="utf-8"
    )
    _, err = run("evaluate", str(path))
    assert "25/30 articles" in err


def test_an_article_whose_extraction_fails_counts_as_empty_and_the_rest_goes_on(
    dataset, monkeypatch
):
    def extract(text, *, published=None, language=None):
        if "Nothing" in text:
            raise RuntimeError("boom")
        return text

    monkeypatch.setattr(intake_command, "load_extraction", lambda: (extract, lambda x: gold()))
    out, err = run("evaluate", str(dataset))
    assert "Articles: 3" in out
    assert "failed on 1 article" in out
    assert "102" in err and "boom" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"sample": {}}', "list of articles"),
        ('[{"sample": {}}]', "article 1 is not in the HRDsAttack format"),
        ('[{"sample": {}, "annotations": []}]', "article 1 is not in the HRDsAttack format"),
    ],
)
def test_a_malformed_file_gives_a_clear_error(tmp_path, extraction, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("evaluate", str(path))


def test_a_missing_file_gives_a_clear_error(tmp_path, extraction):
    with pytest.raises(CommandError, match="No such file"):
        run("evaluate", str(tmp_path / "absent.json"))


def test_agreement_on_a_file_that_is_not_mechanical_turk_output_fails_cleanly(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Mechanical Turk"):
        run("agreement", str(path))
    with pytest.raises(CommandError, match="No such file"):
        run("agreement", str(tmp_path / "absent.csv"))


def test_agreement_prints_the_ceiling_on_the_real_batch():
    path = EVALDATA / "amt_raw_3annotators_batch1.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    out, _ = run("agreement", str(path))
    assert "Mean over the ordered pairs of annotators" in out
    assert "Victim sex" in out


def test_evaluate_runs_the_real_extraction_on_a_few_dev_articles(tmp_path):
    path = EVALDATA / "dev.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    try:
        importlib.import_module("solidarity.intake.extraction")
    except ImportError as error:
        pytest.skip(f"the extraction does not import yet: {error}")
    predictions = tmp_path / "out.jsonl"
    out, _ = run("evaluate", str(path), "--limit", "3", "--predictions", str(predictions))
    assert "Articles: 3" in out
    lines = predictions.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert all(isinstance(json.loads(line)["annotation"], dict) for line in lines)
