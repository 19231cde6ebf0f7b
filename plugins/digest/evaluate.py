"""How well detection agrees with hand-made labels: per-field scores and the list of errors.

Labels are a JSON array like tests/devset/labels.json (seed, lang, title, date, countries,
mentions, sectors, sectors_optional). Set fields are scored by micro-averaged precision, recall
and F1; title, date and language by accuracy. A title labelled null means the seed has no
headline line: any title made from the first sentence counts if it is at most 100 characters;
a headline over 100 characters is matched by its cut at a word boundary.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .extract import TITLE_LIMIT
from .model import SeedError
from .pipeline import SeedResult, read_article
from .report import report_entry

ROOT = Path(__file__).resolve().parents[2]
# With no arguments the evaluation runs on the development set and the five examples together.
DEFAULT_SETS = (
    (ROOT / "tests" / "devset" / "seeds", ROOT / "tests" / "devset" / "labels.json"),
    (ROOT / "seeds", ROOT / "tests" / "expected_examples.json"),
)
SET_FIELDS = ("parties", "mentions", "sectors")
ACCURACY_FIELDS = ("title", "date", "lang")


@dataclass
class SetScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Evaluation:
    sets: dict[str, SetScore] = field(default_factory=lambda: {name: SetScore() for name in SET_FIELDS})
    accuracy: dict[str, Accuracy] = field(default_factory=lambda: {name: Accuracy() for name in ACCURACY_FIELDS})
    errors: list[str] = field(default_factory=list)
    longest_title: int = 0


def score_set(
    score: SetScore, predicted: Iterable[str], expected: Iterable[str], optional: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """Add one seed's set to the counts; returns (missing, extra). Optional items count either way."""
    predicted, expected, optional = set(predicted), set(expected), set(optional) - set(expected)
    extra = sorted(predicted - expected - optional)
    missing = sorted(expected - predicted)
    score.tp += len(predicted & expected)
    score.fp += len(extra)
    score.fn += len(missing)
    return missing, extra


def compare(evaluation: Evaluation, entry: dict, label: dict) -> None:
    """Score one report entry (report.report_entry) against its label, noting every error."""
    seed = label["seed"]
    if entry["status"] != "ok":
        evaluation.errors.append(f"{seed}: seed error: {entry['error']}")
    predicted = {"parties": entry["countries"], "mentions": entry["mentions"], "sectors": entry["sectors"]}
    expected = {"parties": label["countries"], "mentions": label.get("mentions", []), "sectors": label["sectors"]}
    for name in SET_FIELDS:
        optional = label.get("sectors_optional", []) if name == "sectors" else ()
        missing, extra = score_set(evaluation.sets[name], predicted[name], expected[name], optional)
        if missing or extra:
            evaluation.errors.append(f"{seed}: {name}: missing {missing or '—'}, extra {extra or '—'}")

    title = entry["title"] or ""
    evaluation.longest_title = max(evaluation.longest_title, len(title))
    if label.get("title"):
        title_ok = title_agrees(title, label["title"])
        wanted = repr(label["title"])
    else:
        title_ok = 0 < len(title) <= TITLE_LIMIT
        wanted = f"a title of 1..{TITLE_LIMIT} characters"
    _count(evaluation, "title", title_ok, seed, wanted, f"{title!r} ({len(title)} characters)")
    _count(evaluation, "date", entry["date"] == label.get("date"), seed, label.get("date"), entry["date"])
    _count(evaluation, "lang", entry["lang"] == label["lang"], seed, label["lang"], entry["lang"])


def title_agrees(title: str, headline: str) -> bool:
    """The headline itself, or, for a headline over the limit, its cut at a word boundary."""
    if title == headline:
        return True
    head = title.removesuffix("…").rstrip()
    return (
        len(headline) > TITLE_LIMIT >= len(title)
        and len(head) >= TITLE_LIMIT // 2
        and headline.startswith(head)
        and headline[len(head)] in " ,;:—–-"
    )


def _count(evaluation: Evaluation, name: str, right: bool, seed: str, wanted, got) -> None:
    evaluation.accuracy[name].total += 1
    if right:
        evaluation.accuracy[name].right += 1
    else:
        evaluation.errors.append(f"{seed}: {name}: expected {wanted}, got {got}")


def entry_for(seeds_dir: Path, seed: str) -> dict:
    """The detection report entry of one seed, read without a ledger (nothing is written)."""
    try:
        return report_entry(SeedResult(seed, read_article(seeds_dir / seed)))
    except SeedError as error:
        return report_entry(SeedResult(seed, error=error.reason))


def evaluate(sets: Iterable[tuple[Path, Path]]) -> Evaluation:
    evaluation = Evaluation()
    for seeds_dir, labels_path in sets:
        for label in json.loads(Path(labels_path).read_text(encoding="utf-8")):
            compare(evaluation, entry_for(Path(seeds_dir), label["seed"]), label)
    return evaluation


def format_evaluation(evaluation: Evaluation) -> str:
    lines = [f"{'field':<10}{'precision':>10}{'recall':>10}{'F1':>8}   (tp/fp/fn)"]
    for name, s in evaluation.sets.items():
        lines.append(f"{name:<10}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}   ({s.tp}/{s.fp}/{s.fn})")
    lines.append(f"{'field':<10}{'accuracy':>10}")
    for name, a in evaluation.accuracy.items():
        lines.append(f"{name:<10}{a.value:>10.3f}   ({a.right}/{a.total})")
    lines.append(f"longest title: {evaluation.longest_title} characters (limit {TITLE_LIMIT})")
    lines.append(f"\n{len(evaluation.errors)} errors" + (":" if evaluation.errors else ""))
    lines += [f"  {error}" for error in evaluation.errors]
    return "\n".join(lines)


def run(seeds: str | None = None, labels: str | None = None) -> int:
    """`invoke evaluate`: the dev set and the examples, or one seeds folder with its labels file."""
    if seeds or labels:
        if not (seeds and labels):
            print("evaluate: give both --seeds DIR and --labels FILE, or neither")
            return 2
        sets = [(Path(seeds), Path(labels))]
    else:
        sets = list(DEFAULT_SETS)
    print(format_evaluation(evaluate(sets)))
    return 0
