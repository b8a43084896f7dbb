import graphene

from .tasks import count_words


class CountWords(graphene.Mutation):
    """Runs the example Celery task on a worker and waits for its result."""

    class Arguments:
        text = graphene.String(required=True)

    words = graphene.Int(required=True)

    @staticmethod
    def mutate(root, info, text):
        return CountWords(words=count_words.delay(text).get(timeout=10))


class Mutation(graphene.ObjectType):
    count_words = CountWords.Field()
