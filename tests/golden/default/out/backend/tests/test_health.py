import pytest


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_and_redis_answer(client):
    response = client.get("/healthz/")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing answers there
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "error: ConnectionError"}


def test_healthz_answers_get_only(client):
    assert client.post("/healthz/").status_code == 405
