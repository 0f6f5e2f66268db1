from django.apps import AppConfig


class LunaConfig(AppConfig):
    name = "luna"
    verbose_name = "Luna"
