"""The backend's URLs: admin, health, REST API."""

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
    path("api/", include(router.urls)),
]
