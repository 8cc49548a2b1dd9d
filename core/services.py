"""Generic write helpers (after HackSoftware's Django-Styleguide ``model_update``)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any
    after: Any


@dataclass
class ModelUpdate:
    """What ``model_update`` changed: the fields in order, with their old and new values."""

    changes: list[FieldChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def fields(self) -> list[str]:
        return [change.name for change in self.changes]

    def summary(self, labels: dict[str, str] | None = None) -> str:
        """'job group, email' for an audit summary (labels rename fields for people)."""
        labels = labels or {}
        return ", ".join(labels.get(change.name, change.name.replace("_", " ")) for change in self.changes)


def model_update(instance: models.Model, data: dict[str, Any], *, save: bool = True, clean: bool = True) -> ModelUpdate:
    """Set the values in ``data`` that differ, validate, and save only those fields.

    Returns what changed (empty when nothing did, and then nothing is written). Keys must be
    concrete fields of the model; a foreign key may be given by its name with an instance.
    """
    update = ModelUpdate()
    for name, value in data.items():
        model_field = instance._meta.get_field(name)
        before = getattr(instance, name)
        if model_field.is_relation:
            before_key = getattr(instance, model_field.attname)
            after_key = value.pk if value is not None else None
            if before_key == after_key:
                continue
        elif before == value:
            continue
        update.changes.append(FieldChange(name, before, value))
        setattr(instance, name, value)
    if update and save:
        if clean:
            instance.full_clean(
                exclude=[f.name for f in instance._meta.fields if f.name not in update.fields], validate_unique=False
            )
        update_fields = update.fields
        if any(f.name == "updated_at" for f in instance._meta.fields):
            update_fields = [*update_fields, "updated_at"]
        instance.save(update_fields=update_fields)
    return update
