"""Agreement between the annotators of HRDsAttack: the human ceiling of the scores.

The dataset's authors published the raw Amazon Mechanical Turk output of a first
batch, where three workers answered the same questionnaire about each article
(``amt_raw_3annotators_batch1.csv``). `annotations_from_amt_csv()` turns each
answer (an "assignment": one row) into an annotation dict of the same shape as
the dataset's ``annotation`` objects, so that `scoring.score()` applies to it.

`agreement()` then treats, in turn, each of the three answers of every article
as the gold one and each other answer as the prediction: six ordered pairs of
answer positions (first/second, second/first, first/third...). Each pair is
scored over all the articles like a system would be, and the six scores are
averaged field by field. The workers differ from one article to the next, so a
position is not one person; the mean over the six pairs is what matters.

How the questionnaire's columns become annotation fields:

- ``Answer.abuse_type_<label>_1`` checkboxes -> ``violation_types`` (no box
  ticked: no label, which the scorer counts as ``unknown``);
- ``perpetrator_mention_true_1`` / ``_false_1`` -> ``perpetrator_mention``, and
  when a perpetrator is mentioned, the ticked type box -> ``perpetrator_type``
  (``state_actor``, ``other_actor_w_permission``, ``other_actor_wo_permission``,
  ``other_actor_na_permission``, ``insufficient_info``); when none is mentioned
  the type is None, as in the dataset;
- ``year_incident_1``, ``month_incident_1``, ``date_incident_1``,
  ``location_city_1``, ``location_region_1``, ``location_country_1`` as typed
  (the unsuffixed ``location_country`` holds the template's default value, the
  same for every row, and is ignored);
- for each victim k (1 to 7): ``victim_name_1_k``, ``victim_keywords_1_k`` and
  the sex, population, age and type boxes ending in ``_1_k``. A victim other
  than the first is present when any of its fields was filled in.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from solidarity.intake.scoring import Scores, mean_scores, score

# ../shared/evaldata beside the repository, else the workplace's shared folder.
EVALDATA = next(
    (
        place
        for place in (
            Path(__file__).resolve().parents[3].parent / "shared" / "evaldata" / "hrdsattack",
            Path("/work/shared/evaldata/hrdsattack"),
        )
        if place.is_dir()
    ),
    Path(__file__).resolve().parents[3].parent / "shared" / "evaldata" / "hrdsattack",
)
DEFAULT_CSV = EVALDATA / "amt_raw_3annotators_batch1.csv"

VIOLATION_BOXES = {
    "arbitrary_detention": "arbitrary detention",
    "enforced_disappearance": "enforced disappearance",
    "kidnapping": "kidnapping",
    "killing": "killing",
    "torture": "torture",
    "other": "other",
    "unknown": "unknown",
}

# In order of precedence, should a worker tick several.
PERPETRATOR_BOXES = {
    "state_actor_1_0": "state actor",
    "other_state_actor_1_0": "other state actors",
    "other_actor_w_permission_1_0": "other actors with permissions",
    "other_actor_wo_permission_1_0": "other actors without permissions",
    "other_actor_na_permission_1_0": "other non-state actors",
    "regional_org_1_0": "regional orgs",
    "insufficient_info_1_0": "insufficient info",
}

SEX_BOXES = {
    "man": "man",
    "woman": "woman",
    "other": "other",
    "unkown": "unknown",
    "unknown": "unknown",
}
POPULATION_BOXES = {"individual": "individual", "multiple": "multiple"}
AGE_BOXES = {"adult": "adult", "child": "child", "other": "other", "unknown": "unknown"}
VICTIM_TYPE_BOXES = {
    "hrd": "human rights defender",
    "journalist": "journalist",
    "trade_unionist": "trade unionist",
    "na": "insufficient information",
}

_VICTIM_COLUMN = re.compile(r"^Answer\.victim_name_1_(\d+)$")


def _answer(row: Mapping[str, str], name: str) -> str:
    """The value of ``Answer.<name>`` (text fields) or ``Answer.<name>.<name>`` (boxes)."""
    value = row.get(f"Answer.{name}.{name}")
    if value is None:
        value = row.get(f"Answer.{name}")
    return (value or "").strip()


def _ticked(row: Mapping[str, str], name: str) -> bool:
    return _answer(row, name).casefold() == "true"


def _typed(row: Mapping[str, str], name: str, empty: str | None) -> str | None:
    return _answer(row, name) or empty


def _first_ticked(row: Mapping[str, str], boxes: Mapping[str, str], pattern: str) -> str | None:
    for box, label in boxes.items():
        if _ticked(row, pattern.format(box)):
            return label
    return None


def _victim(row: Mapping[str, str], index: int) -> dict[str, Any] | None:
    suffix = f"1_{index}"
    columns = [name for name in row if name.startswith("Answer.victim_") and name.endswith(suffix)]
    if index > 1 and not any((row[name] or "").strip() for name in columns):
        return None
    name = _answer(row, f"victim_name_{suffix}")
    return {
        "victim_idx": index,
        "victim_name": name or None,
        "victim_keywords": _answer(row, f"victim_keywords_{suffix}"),
        "victim_population_type": _first_ticked(
            row, POPULATION_BOXES, "victim_pop_type_{}_" + suffix
        ),
        "victim_sex_type": _first_ticked(row, SEX_BOXES, "victim_sex_type_{}_" + suffix)
        or "unknown",
        "victim_age_group": _first_ticked(row, AGE_BOXES, "victim_age_group_{}_" + suffix)
        or "unknown",
        "victim_type": [
            label
            for box, label in VICTIM_TYPE_BOXES.items()
            if _ticked(row, f"victim_type_{box}_{suffix}")
        ],
    }


def annotation_from_assignment(row: Mapping[str, str]) -> dict[str, Any]:
    """One AMT assignment (a CSV row) as an annotation in the dataset's shape."""
    mentioned = _ticked(row, "perpetrator_mention_true_1") or (
        not _ticked(row, "perpetrator_mention_false_1")
        and any(_ticked(row, box) for box in PERPETRATOR_BOXES)
    )
    victim_indexes = sorted(
        int(match[1]) for name in row if (match := _VICTIM_COLUMN.match(name))
    ) or [1]
    victims = [v for index in victim_indexes if (v := _victim(row, index)) is not None]
    return {
        "perpetrator_mention": mentioned,
        "perpetrator_type": (_first_ticked(row, PERPETRATOR_BOXES, "{}") if mentioned else None),
        "violation_types": [
            label for box, label in VIOLATION_BOXES.items() if _ticked(row, f"abuse_type_{box}_1")
        ],
        "year": _typed(row, "year_incident_1", None),
        "month": _typed(row, "month_incident_1", None),
        "date": _typed(row, "date_incident_1", None),
        "city": _typed(row, "location_city_1", "None"),
        "region": _typed(row, "location_region_1", "None"),
        "country": _typed(row, "location_country_1", "None"),
        "victims": victims,
    }


def annotations_from_amt_csv(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """The annotations of each article (by GDELT event id, or HIT id), in the file's order.

    Raises ValueError for a file that is not such a CSV, OSError if it cannot be read.
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        if "HITId" not in columns and "Input.GLOBALEVENTID" not in columns:
            raise ValueError(f"{path} is not an Amazon Mechanical Turk results file (no HITId).")
        if not any(name.startswith("Answer.") for name in columns):
            raise ValueError(f"{path} has no Answer.* columns.")
        articles: dict[str, list[dict[str, Any]]] = {}
        try:
            for row in reader:
                key = (row.get("Input.GLOBALEVENTID") or row.get("HITId") or "").strip()
                if key:
                    articles.setdefault(key, []).append(annotation_from_assignment(row))
        except csv.Error as error:
            raise ValueError(f"{path}: {error}") from error
    return articles


def pairwise_scores(articles: Mapping[str, list[Mapping[str, Any]]]) -> list[Scores]:
    """The scores of each ordered pair of answer positions (gold, prediction)."""
    most = max((len(answers) for answers in articles.values()), default=0)
    results = []
    for gold, predicted in itertools.permutations(range(most), 2):
        pairs = [
            (answers[gold], answers[predicted])
            for answers in articles.values()
            if len(answers) > max(gold, predicted)
        ]
        if pairs:
            results.append(score(pairs))
    return results


def agreement(path: str | Path = DEFAULT_CSV) -> Scores:
    """The mean, over ordered pairs of annotators, of one scored against the other."""
    return mean_scores(pairwise_scores(annotations_from_amt_csv(path)))
