from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "qorgau.intake"
    label = "intake"
    verbose_name = _("Signals")
    # What the app declares to core (actions, roles' grants, menu, API, queues, pages, the person
    # page's panel, the persons a signal opens): registry.py.
