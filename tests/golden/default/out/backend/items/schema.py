import graphene
from graphene_django import DjangoObjectType

from .models import Item


class ItemType(DjangoObjectType):
    class Meta:
        model = Item
        fields = ("id", "name", "created")


class Query(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(ItemType), required=True)
    item = graphene.Field(ItemType, id=graphene.ID(required=True))

    @staticmethod
    def resolve_items(root, info):
        return Item.objects.order_by("id")

    @staticmethod
    def resolve_item(root, info, id):
        return Item.objects.filter(pk=id).first()


class CreateItem(graphene.Mutation):
    class Arguments:
        name = graphene.String(required=True)

    item = graphene.Field(ItemType)

    @staticmethod
    def mutate(root, info, name):
        item = Item(name=name)
        item.full_clean()  # the model's rules (e.g. max_length) apply here too
        item.save()
        return CreateItem(item=item)


class Mutation(graphene.ObjectType):
    create_item = CreateItem.Field()
