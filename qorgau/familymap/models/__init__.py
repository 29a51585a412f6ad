from .results import Change, DistrictAggregate, FamilyResult, LevelChange
from .rules import RuleSet, RuleSetFrozen, RuleSetStatus
from .runs import Run, RunKind, RunStatus, StageStatus

__all__ = [
    "Change",
    "DistrictAggregate",
    "FamilyResult",
    "LevelChange",
    "Run",
    "RunKind",
    "RunStatus",
    "RuleSet",
    "RuleSetFrozen",
    "RuleSetStatus",
    "StageStatus",
]
