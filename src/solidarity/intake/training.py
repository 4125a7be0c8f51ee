"""Train the intake models from the HRDsAttack training split; write extraction/model.json.

    pip install -e '.[train]'
    python -m solidarity.intake.training \
        --train ../shared/evaldata/hrdsattack/train.json

Six logistic regressions (scikit-learn), each over features.py:
- violation: one yes/no model per HRDsAttack label, over the article;
- perpetrator: one model over the perpetrator labels (and "none"), over the article;
- victim: yes/no for each candidate name (is it a victim?);
- country: yes/no for each country the article names (is it where the attack happened?).
- date: yes/no for each date the article writes (is it the date of the attack?);
- year: yes/no for each year the article gives, or its publication's (is it the attack's?).
Regularisation and thresholds are chosen by 5-fold cross-validation on the training
split only; dev is never read here (score it with `solidarity intake evaluate`). Only features seen
in at least MIN_DF training articles are kept, and word features only ever come from
lower-case words (see features.py): the artifact holds no names.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from solidarity.intake.extraction import features, lexicon, names
from solidarity.intake.extraction.dates import find_dates
from solidarity.intake.extraction.model import MODEL_PATH
from solidarity.intake.extraction.places import find_places
from solidarity.intake.extraction.text import Document, detect_language
from solidarity.intake.extraction.types import HRDS_VIOLATION_LABELS
from solidarity.intake.hrdsattack import article_text, publication_date
from solidarity.intake.scoring import (
    normalise_country,
    normalise_month,
    normalise_name,
    normalise_year,
)

MIN_DF = 3
SEED = 20161  # fixed: the same data gives the same artifact
# Candidate models (few features): L2. Article models (thousands of words): L1, which
# leaves most weights at zero and keeps the committed file small (17 KiB, not 2 MB).
C_GRID = (0.1, 0.3, 1.0, 3.0)
C_GRID_L1 = (1.0, 3.0, 10.0)
# Weights smaller than this change no decision worth keeping; dropping them keeps the file small.
PRUNE = 0.01
# The labels a model is trained for: every one but "unknown" (an article with none).
VIOLATION_LABELS = tuple(label for label in HRDS_VIOLATION_LABELS if label != "unknown")


@dataclass
class Article:
    doc: Document
    gold: dict[str, Any]
    doc_features: dict[str, float]
    violation_hits: list[lexicon.Hit]
    role_hits: list[lexicon.Hit]
    places: list


def load(path: str) -> list[Article]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    articles = []
    for item in data:
        sample, gold = item["sample"], item["annotations"][0]["annotation"]
        text = article_text(sample)
        language = detect_language(text)
        doc = Document(text, language)
        vhits = list(lexicon.violations.find(text, language))
        phits = list(lexicon.perpetrators.find(text, language))
        articles.append(
            Article(
                doc=doc,
                gold=gold,
                doc_features=features.document(doc, vhits, phits),
                violation_hits=vhits,
                role_hits=list(lexicon.roles.find(text, language)),
                places=find_places(text, language),
            )
        )
        articles[-1].gold["_published"] = publication_date(sample.get("Input.publish_date"))
    return articles


# --- examples for each model -------------------------------------------------------------


def violation_labels(gold: dict[str, Any]) -> set[str]:
    return {str(v).strip().lower() for v in gold.get("violation_types") or []} - {"unknown"}


def perpetrator_label(gold: dict[str, Any]) -> str:
    value = gold.get("perpetrator_type")
    return str(value).strip().lower() if value not in (None, "", "None") else "none"


def victim_examples(article: Article) -> list[tuple[dict[str, float], int]]:
    gold_names = {
        normalise_name(v.get("victim_name"))
        for v in article.gold.get("victims") or []
        if v.get("victim_name")
    }
    place_spans = {(p.start, p.end) for p in article.places}
    out = []
    for candidate in names.person_candidates(article.doc.text, place_spans):
        feats = features.person(
            article.doc, candidate, article.violation_hits, article.role_hits, article.places
        )
        out.append((feats, int(normalise_name(candidate.name) in gold_names)))
    return out


def date_examples(article: Article) -> list[tuple[dict[str, float], int]]:
    published = article.gold["_published"]
    gold_year = normalise_year(article.gold.get("year"))
    gold_month = normalise_month(article.gold.get("month"))
    out = []
    mentions = find_dates(article.doc.text, article.doc.language, published)
    for position, mention in enumerate(mentions):
        year = mention.year
        if year is None and published is not None:
            year = published.year - (1 if mention.month and mention.month > published.month else 0)
        right = (
            gold_year is not None
            and year == gold_year
            and (gold_month is None or mention.month == gold_month)
        )
        feats = features.date_mention(
            article.doc, mention, position, article.violation_hits, published
        )
        out.append((feats, int(right)))
    return out


def year_examples(article: Article) -> list[tuple[dict[str, float], int]]:
    published = article.gold["_published"]
    gold_year = normalise_year(article.gold.get("year"))
    mentions = find_dates(article.doc.text, article.doc.language, published)
    return [
        (
            features.year(article.doc, year, ms, len(mentions), article.violation_hits, published),
            int(year == gold_year),
        )
        for year, ms in features.year_candidates(mentions, published).items()
    ]


def country_examples(article: Article) -> list[tuple[dict[str, float], int]]:
    gold = normalise_country(article.gold.get("country"))
    gold_codes = gold if isinstance(gold, frozenset) else frozenset()
    by_country: dict[str, list] = {}
    for mention in article.places:
        by_country.setdefault(mention.code, []).append(mention)
    ranked = sorted(by_country, key=lambda c: -len(by_country[c]))
    return [
        (
            features.country(
                article.doc,
                code,
                by_country[code],
                len(article.places),
                article.violation_hits,
                rank,
            ),
            int(code in gold_codes),
        )
        for rank, code in enumerate(ranked)
    ]


# --- fitting ---------------------------------------------------------------------------------


def _frequent(rows: Sequence[dict[str, float]], min_df: int) -> set[str]:
    df: Counter[str] = Counter()
    for row in rows:
        df.update(row.keys())
    return {k for k, n in df.items() if n >= min_df}


def _int32(x):
    """liblinear takes 32-bit sparse indices only."""
    x = x.tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")
    return x


def _fit(
    rows: Sequence[dict[str, float]],
    targets: Sequence[Any],
    c: float,
    kind: str,
    penalty: str = "l2",
):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    x = _int32(vectoriser.fit_transform(rows))
    classifier = LogisticRegression(
        C=c,
        penalty=penalty,
        solver="liblinear" if kind == "binary" else ("saga" if penalty == "l1" else "lbfgs"),
        max_iter=3000,
        class_weight="balanced" if kind == "binary" else None,
    )
    classifier.fit(x, list(targets))
    return vectoriser, classifier


def _export(
    vectoriser, classifier, kind: str, positive: str | None = None, thresholds=None
) -> dict[str, Any]:
    names_ = vectoriser.get_feature_names_out()
    coef = classifier.coef_
    if kind == "binary":
        classes = [positive or "yes"]
        weights = {
            n: [round(float(coef[0, i]), 4)]
            for i, n in enumerate(names_)
            if abs(coef[0, i]) >= PRUNE
        }
        bias = [round(float(classifier.intercept_[0]), 5)]
    else:
        classes = [str(c) for c in classifier.classes_]
        weights = {
            n: [round(float(coef[k, i]), 4) for k in range(len(classes))]
            for i, n in enumerate(names_)
            if any(abs(coef[k, i]) >= PRUNE for k in range(len(classes)))
        }
        bias = [round(float(b), 5) for b in classifier.intercept_]
    return {
        "kind": kind,
        "classes": classes,
        "weights": weights,
        "bias": bias,
        "thresholds": thresholds or [0.5] * len(classes),
    }


def _folds(n: int, k: int = 5) -> list[list[int]]:
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    return [order[i::k] for i in range(k)]


def _cross_probabilities(
    groups: Sequence[Sequence[tuple[dict[str, float], Any]]],
    c: float,
    kind: str,
    positive: Any = 1,
    penalty: str = "l2",
) -> list[list[tuple[float, Any]]]:
    """Out-of-fold probability of `positive` for every example, grouped by article."""
    out: list[list[tuple[float, Any]]] = [[] for _ in groups]
    for fold in _folds(len(groups)):
        held = set(fold)
        train_rows = [(f, y) for i, g in enumerate(groups) if i not in held for f, y in g]
        keep = _frequent([f for f, _ in train_rows], MIN_DF)
        rows = [{k: v for k, v in f.items() if k in keep} for f, _ in train_rows]
        targets = [y for _, y in train_rows]
        if len(set(targets)) < 2:
            continue
        vectoriser, classifier = _fit(rows, targets, c, kind, penalty)
        index = list(classifier.classes_).index(positive)
        for i in fold:
            if not groups[i]:
                continue
            x = _int32(
                vectoriser.transform(
                    [{k: v for k, v in f.items() if k in keep} for f, _ in groups[i]]
                )
            )
            probabilities = classifier.predict_proba(x)[:, index]
            out[i] = [(float(p), y) for p, (_, y) in zip(probabilities, groups[i], strict=True)]
    return out


def _best_threshold(pairs: list[tuple[float, int]]) -> tuple[float, float]:
    best = (0.0, 0.5)
    for step in range(5, 96, 5):
        t = step / 100
        tp = sum(1 for p, y in pairs if p >= t and y)
        fp = sum(1 for p, y in pairs if p >= t and not y)
        fn = sum(1 for p, y in pairs if p < t and y)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, (f1, t))
    return best


def _select(name: str, tries: dict[float, float]) -> float:
    c, value = max(tries.items(), key=lambda kv: (kv[1], -kv[0]))
    print(f"  {name}: " + ", ".join(f"C={k:g} {v:.3f}" for k, v in tries.items()) + f" -> C={c:g}")
    return c


def train_binary_per_article(
    name: str,
    articles: list[Article],
    examples: Callable[[Article], list[tuple[dict[str, float], int]]],
    choose: Callable[[list[list[tuple[float, int]]], float], float] | None,
) -> dict[str, Any]:
    """A yes/no model over candidates, with C and the threshold chosen by cross-validation."""
    groups = [examples(a) for a in articles]
    tries, thresholds = {}, {}
    for c in C_GRID:
        probabilities = _cross_probabilities(groups, c, "binary")
        flat = [p for g in probabilities for p in g]
        f1, threshold = _best_threshold(flat)
        if choose is not None:
            f1, threshold = max((choose(probabilities, t / 100), t / 100) for t in range(5, 96, 5))
        tries[c], thresholds[c] = f1, threshold
    c = _select(name, tries)
    rows = [(f, y) for g in groups for f, y in g]
    keep = _frequent([f for f, _ in rows], MIN_DF)
    vectoriser, classifier = _fit(
        [{k: v for k, v in f.items() if k in keep} for f, _ in rows],
        [y for _, y in rows],
        c,
        "binary",
    )
    return _export(vectoriser, classifier, "binary", "yes", [thresholds[c]])


def _top_accuracy(probabilities: list[list[tuple[float, int]]], threshold: float) -> float:
    # An article is right when its best candidate is the gold country (or none is above the
    # threshold and the gold has none among the candidates).
    right = 0
    for group in probabilities:
        best = max(group, default=(0.0, 0))
        if best[0] >= threshold:
            right += best[1]
        else:
            right += not any(y for _, y in group)
    return right / max(len(probabilities), 1)


def _micro_f1(
    probabilities: dict[str, list[tuple[float, int]]],
    thresholds: dict[str, float],
    unknown: list[int],
) -> float:
    """Micro-F1 over (article, label) pairs; an article with no label counts as "unknown"."""
    tp = fp = fn = 0
    for i, gold_unknown in enumerate(unknown):
        predicted_any = False
        for label, rows in probabilities.items():
            p, y = rows[i]
            predicted = p >= thresholds[label]
            predicted_any |= predicted
            tp += predicted and y
            fp += predicted and not y
            fn += y and not predicted
        tp += gold_unknown and not predicted_any
        fp += not gold_unknown and not predicted_any
        fn += gold_unknown and predicted_any
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train_violation(articles: list[Article]) -> dict[str, Any]:
    rows = [a.doc_features for a in articles]
    keep = _frequent(rows, MIN_DF)
    rows = [{k: v for k, v in r.items() if k in keep} for r in rows]
    models = {}
    out_of_fold: dict[str, list[tuple[float, int]]] = {}
    for label in VIOLATION_LABELS:
        groups = [
            [(r, int(label in violation_labels(a.gold)))]
            for r, a in zip(rows, articles, strict=True)
        ]
        tries, thresholds, probabilities = {}, {}, {}
        for c in C_GRID_L1:
            probabilities[c] = [
                g[0] for g in _cross_probabilities(groups, c, "binary", penalty="l1")
            ]
            tries[c], thresholds[c] = _best_threshold(probabilities[c])
        c = _select(f"violation/{label}", tries)
        out_of_fold[label] = probabilities[c]
        vectoriser, classifier = _fit(rows, [g[0][1] for g in groups], c, "binary", "l1")
        models[label] = _export(vectoriser, classifier, "binary", label, [thresholds[c]])
    # The issue scores micro-F1 over (article, label) pairs: tune the thresholds together
    # for it, on the same out-of-fold probabilities, starting from each label's best.
    unknown = [int(not violation_labels(a.gold)) for a in articles]
    thresholds = {label: models[label]["thresholds"][0] for label in VIOLATION_LABELS}
    before = _micro_f1(out_of_fold, thresholds, unknown)
    for _round in range(3):
        for label in VIOLATION_LABELS:
            thresholds[label] = max(
                (t / 100 for t in range(5, 96, 5)),
                key=lambda t, label=label: (
                    _micro_f1(out_of_fold, {**thresholds, label: t}, unknown),
                    -abs(t - thresholds[label]),
                ),
            )
    after = _micro_f1(out_of_fold, thresholds, unknown)
    print(f"  violation micro-F1 (cross-validation): {before:.3f} per label -> {after:.3f} joint")
    for label in VIOLATION_LABELS:
        models[label]["thresholds"] = [thresholds[label]]
    # One "ovr" model: one weight column per label.
    classes = list(VIOLATION_LABELS)
    weights: dict[str, list[float]] = {}
    for i, label in enumerate(classes):
        for feature, row in models[label]["weights"].items():
            weights.setdefault(feature, [0.0] * len(classes))[i] = row[0]
    return {
        "kind": "ovr",
        "classes": classes,
        "weights": weights,
        "bias": [models[label]["bias"][0] for label in classes],
        "thresholds": [models[label]["thresholds"][0] for label in classes],
    }


def train_perpetrator(articles: list[Article]) -> dict[str, Any]:
    rows = [a.doc_features for a in articles]
    keep = _frequent(rows, MIN_DF)
    rows = [{k: v for k, v in r.items() if k in keep} for r in rows]
    targets = [perpetrator_label(a.gold) for a in articles]
    tries = {}
    for c in C_GRID_L1:
        right = 0
        for fold in _folds(len(rows)):
            held = set(fold)
            vectoriser, classifier = _fit(
                [r for i, r in enumerate(rows) if i not in held],
                [t for i, t in enumerate(targets) if i not in held],
                c,
                "softmax",
                "l1",
            )
            predicted = classifier.predict(_int32(vectoriser.transform([rows[i] for i in fold])))
            right += sum(1 for i, p in zip(fold, predicted, strict=True) if p == targets[i])
        tries[c] = right / len(rows)
    c = _select("perpetrator", tries)
    vectoriser, classifier = _fit(rows, targets, c, "softmax", "l1")
    return _export(vectoriser, classifier, "softmax")


TRAINERS: dict[str, Callable[[list[Article]], dict[str, Any]]] = {
    "violation": train_violation,
    "perpetrator": train_perpetrator,
    "victim": lambda a: train_binary_per_article("victim", a, victim_examples, None),
    "country": lambda a: train_binary_per_article("country", a, country_examples, _top_accuracy),
    "date": lambda a: train_binary_per_article("date", a, date_examples, _top_accuracy),
    "year": lambda a: train_binary_per_article("year", a, year_examples, _top_accuracy),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--train", required=True)
    parser.add_argument("--out", default=str(MODEL_PATH))
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(TRAINERS),
        help="retrain these models only, keeping the others from --out (repeatable)",
    )
    args = parser.parse_args(argv)
    articles = load(args.train)
    print(f"{len(articles)} training articles; cross-validation (5 folds) on them only")
    spec: dict[str, Any] = {}
    if args.only and Path(args.out).exists():
        spec = json.loads(Path(args.out).read_text(encoding="utf-8"))["models"]
    for name, trainer in TRAINERS.items():
        if not args.only or name in args.only:
            spec[name] = trainer(articles)
    artifact = {
        "made_by": "python -m solidarity.intake.training --train hrdsattack/train.json",
        "training_articles": len(articles),
        "min_df": MIN_DF,
        "models": spec,
    }
    Path(args.out).write_text(
        json.dumps(artifact, sort_keys=True, separators=(",", ":")), encoding="utf-8"
    )
    size = Path(args.out).stat().st_size
    weights = sum(len(m["weights"]) for m in spec.values())
    print(f"wrote {args.out} ({size / 1024:.0f} KiB, {weights} weights)")


if __name__ == "__main__":
    main()
