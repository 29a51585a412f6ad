from .points import DemandPoint, PointKind
from .rules import DemandRule
from .scenarios import Scenario, ScenarioModel, ScenarioStatus

__all__ = ["DemandPoint", "DemandRule", "PointKind", "Scenario", "ScenarioModel", "ScenarioStatus"]
