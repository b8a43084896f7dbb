import pytest
from django.contrib.admin.sites import site

from items.models import Item


@pytest.mark.django_db
def test_an_item_is_named_after_its_name():
    assert str(Item.objects.create(name="first")) == "first"


def test_items_are_in_the_admin():
    assert site.is_registered(Item)


@pytest.mark.django_db
def test_the_admin_lists_items(admin_client):
    Item.objects.create(name="listed")
    response = admin_client.get("/admin/items/item/")
    assert response.status_code == 200
    assert b"listed" in response.content
