"""The Celery app: `celery -A demo worker` runs the tasks of every app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    "demo.settings",
)

app = Celery("demo")
# CELERY_* names in settings.py configure it.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
