"""The trained linear models, read from a JSON file committed beside this module.

Training (src/solidarity/intake/training.py) uses scikit-learn; running needs
only this file: a weight per feature and class, a bias, a threshold. JSON, not
pickle: loading it cannot run code, and it does not depend on the version of
scikit-learn that made it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class LinearModel:
    kind: str  # "binary", "ovr" (one sigmoid per class) or "softmax"
    classes: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    bias: tuple[float, ...]
    thresholds: tuple[float, ...]

    def scores(self, features: dict[str, float]) -> list[float]:
        totals = list(self.bias)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for i, w in enumerate(row):
                    totals[i] += w * value
        return totals

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        totals = self.scores(features)
        if self.kind == "softmax":
            top = max(totals)
            exps = [math.exp(t - top) for t in totals]
            norm = sum(exps)
            return {c: e / norm for c, e in zip(self.classes, exps, strict=True)}
        return {c: 1 / (1 + math.exp(-t)) for c, t in zip(self.classes, totals, strict=True)}

    def contributions(self, features: dict[str, float], cls: str) -> dict[str, float]:
        """Each feature's share of a class's score: used to point at the words behind a label."""
        index = self.classes.index(cls)
        return {n: self.weights[n][index] * v for n, v in features.items() if n in self.weights}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(
            kind=data["kind"],
            classes=tuple(data["classes"]),
            weights={k: tuple(v) for k, v in data["weights"].items()},
            bias=tuple(data["bias"]),
            thresholds=tuple(data.get("thresholds") or [0.5] * len(data["classes"])),
        )


@cache
def models() -> dict[str, LinearModel]:
    if not MODEL_PATH.exists():
        return {}
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return {name: LinearModel.from_json(spec) for name, spec in data["models"].items()}


def get(name: str) -> LinearModel | None:
    return models().get(name)
