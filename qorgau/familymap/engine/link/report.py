"""LinkReport: counts per source, seconds per step, and quality against the generator's truth."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class SourceCounts:
    rows: int = 0
    without_valid_iin: int = 0
    iin: int = 0
    probabilistic: int = 0
    review: int = 0
    none: int = 0


@dataclass
class Quality:
    """Against truth.parquet: precision = correct links / links made; recall = correct links / records."""

    records: int
    linked: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.linked if self.linked else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.records if self.records else 1.0

    def to_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "precision": round(self.precision, 5), "recall": round(self.recall, 5)}


@dataclass
class LinkReport:
    threshold: float
    review_floor: float
    sources: dict[str, SourceCounts] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    # keys: "all" (every non-spine record), "without_valid_iin", "with_valid_iin"; None without a truth file
    quality: dict[str, Quality] | None = None
    probabilistic_engine: str = "splink"
    # records sent to Splink ("candidates") and the scored pairs it kept ("pairs")
    probabilistic_counts: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float | None:
        """Precision on the records without a valid IIN (the issue's measure)."""
        return self.quality["without_valid_iin"].precision if self.quality else None

    @property
    def recall(self) -> float | None:
        return self.quality["without_valid_iin"].recall if self.quality else None

    def to_dict(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "review_floor": self.review_floor,
            "probabilistic_engine": self.probabilistic_engine,
            "probabilistic_counts": self.probabilistic_counts,
            "sources": {k: asdict(v) for k, v in self.sources.items()},
            "seconds": self.seconds,
            "quality": {k: v.to_dict() for k, v in self.quality.items()} if self.quality else None,
        }
