from celery import shared_task


@shared_task
def count_words(text: str) -> int:
    """An example background job: how many words `text` has."""
    return len(text.split())
