from django.apps import AppConfig


class ItemsConfig(AppConfig):
    """An example app: one model, exposed in the admin and over the API."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "items"
