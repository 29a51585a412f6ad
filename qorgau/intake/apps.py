from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "qorgau.intake"
    label = "intake"
    verbose_name = _("Signals")

    def ready(self) -> None:
        from . import home

        home.register()
