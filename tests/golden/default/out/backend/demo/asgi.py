"""The ASGI entry point, for an ASGI server should you need one."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    "demo.settings",
)

application = get_asgi_application()
