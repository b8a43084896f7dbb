"""The backend's URLs: admin, health, metrics, GraphQL."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView

from .health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    # Prometheus metrics (django-prometheus); the ingress does not route it.
    path("", include("django_prometheus.urls")),
    path("graphql/", csrf_exempt(GraphQLView.as_view(graphiql=settings.DEBUG)), name="graphql"),
]
