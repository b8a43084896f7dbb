"""GET /metrics: Prometheus metrics from django-prometheus, for the ServiceMonitor."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_metrics_count_requests_and_database_queries(client: Client) -> None:
    client.get("/healthz/")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    # The names the chart's alerts and the Grafana dashboard query.
    healthz = 'method="GET",status="200",view="healthz"'
    assert "django_http_responses_total_by_status_view_method_total{" + healthz + "}" in body
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in body
    assert 'django_db_execute_total{alias="default",vendor="postgresql"}' in body
