import pytest

from items.models import Item


def graphql(client, query, **variables):
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_items_are_queried(client):
    Item.objects.create(name="first")
    Item.objects.create(name="second")
    result = graphql(client, "{ items { name } }")
    assert result == {"data": {"items": [{"name": "first"}, {"name": "second"}]}}


@pytest.mark.django_db
def test_one_item_is_queried_by_id(client):
    item = Item.objects.create(name="one")
    result = graphql(client, "query($id: ID!) { item(id: $id) { name } }", id=item.pk)
    assert result == {"data": {"item": {"name": "one"}}}


@pytest.mark.django_db
def test_an_item_is_created_by_a_mutation(client):
    result = graphql(
        client,
        "mutation($name: String!) { createItem(name: $name) { item { id name } } }",
        name="made",
    )
    assert result["data"]["createItem"]["item"]["name"] == "made"
    assert Item.objects.get().name == "made"


@pytest.mark.django_db
def test_a_too_long_name_is_refused(client):
    result = graphql(
        client,
        "mutation($name: String!) { createItem(name: $name) { item { id } } }",
        name="x" * 201,
    )
    assert result["errors"]
    assert not Item.objects.exists()
