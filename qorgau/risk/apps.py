from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "qorgau.risk"
    label = "risk"
    verbose_name = _("Risk identification and the risk conference")
    # What the app declares to core (actions, grants, menu, queues, panels): registry.py.
