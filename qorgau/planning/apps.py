from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "qorgau.planning"
    label = "planning"
    verbose_name = _("Network planning")
    # What the app declares to core (actions, grants, menu): registry.py.
