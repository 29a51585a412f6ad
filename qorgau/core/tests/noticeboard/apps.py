from django.apps import AppConfig


class NoticeboardConfig(AppConfig):
    name = "qorgau.core.tests.noticeboard"
    label = "noticeboard"
    verbose_name = "Noticeboard (tests only)"
