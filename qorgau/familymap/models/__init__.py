from .results import Change, DistrictAggregate, FamilyResult, LevelChange
from .rules import RuleSet, RuleSetFrozen, RuleSetStatus
from .runs import Run, RunKind, RunStatus, StageStatus

__all__ = [
    "Change",
    "DistrictAggregate",
    "FamilyResult",
    "LevelChange",
    "RuleSet",
    "RuleSetFrozen",
    "RuleSetStatus",
    "Run",
    "RunKind",
    "RunStatus",
    "StageStatus",
]
