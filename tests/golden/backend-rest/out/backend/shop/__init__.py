"""Shop backend: settings, URLs and the WSGI/ASGI entry points."""
