import pytest
from rest_framework.test import APIClient

from items.models import Item


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_an_item_is_created_and_listed(api):
    created = api.post("/api/items/", {"name": "first"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "first"

    listed = api.get("/api/items/")
    assert listed.status_code == 200
    assert [item["name"] for item in listed.json()["results"]] == ["first"]


@pytest.mark.django_db
def test_an_item_is_updated_and_deleted(api):
    item = Item.objects.create(name="old")
    updated = api.patch(f"/api/items/{item.pk}/", {"name": "new"}, format="json")
    assert updated.status_code == 200
    assert Item.objects.get(pk=item.pk).name == "new"

    assert api.delete(f"/api/items/{item.pk}/").status_code == 204
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_a_name_is_required(api):
    response = api.post("/api/items/", {}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
