from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qorgau.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.core import checks
        from django.db.backends.signals import connection_created

        from . import signals  # noqa: F401  (login/logout/lockout audit receivers)
        from .dbroles import check_connection_role, check_database_role
        from .domains import check_domains

        # Production refuses a database role that could switch off the audit trigger (core/dbroles.py).
        connection_created.connect(check_connection_role, dispatch_uid="qorgau.core.check_connection_role")
        checks.register(check_database_role, checks.Tags.database)
        # Every installed app's registry.py declaration adds up (core/domains.py).
        checks.register(check_domains)
