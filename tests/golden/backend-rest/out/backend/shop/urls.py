"""The backend's URLs: admin, health, metrics, REST API."""

from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from items.views import ItemViewSet

from .health import healthz

router = DefaultRouter()
router.register("items", ItemViewSet)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    # Prometheus metrics (django-prometheus); the ingress does not route it.
    path("", include("django_prometheus.urls")),
    path("api/", include(router.urls)),
]
