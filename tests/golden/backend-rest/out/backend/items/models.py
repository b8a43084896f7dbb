from django.db import models


class Item(models.Model):
    """An example model: rename it, or delete this app."""

    name = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
