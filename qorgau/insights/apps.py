from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "qorgau.insights"
    label = "insights"
    verbose_name = _("Insights")
    # What the app declares to core (actions, grants, menu, pages): registry.py.
