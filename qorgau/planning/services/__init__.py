from .points import do_load_demand_points
from .rules import do_set_demand_rule
from .scenarios import do_create_scenario, do_run_scenario

__all__ = ["do_create_scenario", "do_load_demand_points", "do_run_scenario", "do_set_demand_rule"]
