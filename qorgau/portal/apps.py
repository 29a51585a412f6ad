from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "qorgau.portal"
    label = "portal"
    verbose_name = _("Public help page and prevention")
    # What the app declares to core (actions, grants, menu, urls, API): registry.py.
