"""The GraphQL schema: every app's queries and mutations, served at /graphql/."""

import graphene

import items.schema
import items.task_schema


class Query(items.schema.Query, graphene.ObjectType):
    pass


class Mutation(items.schema.Mutation, items.task_schema.Mutation, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
