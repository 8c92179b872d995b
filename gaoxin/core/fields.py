"""The one way personal data is stored: ``EncryptedCharField`` and its ``BlindIndexField``.

    id_number = EncryptedCharField(_("ID number"), max_length=18, mask="id_number")
    id_number_hash = BlindIndexField(of="id_number", unique=True)

    Talent.objects.filter(id_number_hash__matches="11010519491231002X")

The column holds ``gaoxin.core.crypto.seal``'s ciphertext; Python code sees the plain value
(a ``SealedStr`` that remembers the ciphertext it was read from, so saving an unchanged value
writes the same bytes and a backup restores with equal checksums). ``max_length`` is the
plain value's limit; the column is sized for the ciphertext. Filtering on the encrypted
column is refused (only ``isnull`` and ``= ""`` mean anything there): exact lookups go
through the blind index, computed by the index field itself on every save. Backups
(serialization) carry the ciphertext and the index, never the plain value; audit snapshots
carry the masked value and leave the index out.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ValidationError
from django.db import migrations, models
from django.db.models import lookups, signals
from django.utils.translation import gettext_lazy as _

from gaoxin.core import crypto


class SealedStr(str):
    """A decrypted value that remembers its stored ciphertext and the column it came from."""

    def __new__(cls, plain: str, sealed: str = "", context: str = ""):
        value = super().__new__(cls, plain)
        value.sealed = sealed
        value.context = context
        return value


def _stored_length(max_length: int) -> int:
    """The column's width for a plain value of ``max_length`` characters (UTF-8, up to four
    bytes each) under either algorithm, with the header."""
    plain = 4 * max_length
    payload = 16 + (plain // 16 + 1) * 16 + 32  # SM4: IV, padded blocks, HMAC-SM3
    payload = max(payload, 12 + plain + 16)  # AES-GCM: nonce, ciphertext, tag
    return 32 + 4 * math.ceil(payload / 3)


class _EmptyOnly(lookups.Exact):
    """``field=""`` (no value given) is the only comparison an encrypted column can answer."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(self.lhs.output_field.refusal("exact"))
        return super().get_prep_lookup()


class EncryptedCharField(models.CharField):
    description = _("Text encrypted at rest")

    def __init__(self, *args, mask: str = "phone", **kwargs):
        if mask not in crypto.MASKS:
            raise ValueError(f"mask must be one of {sorted(crypto.MASKS)}")
        self.mask = mask
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "gaoxin.core.fields.EncryptedCharField", args, kwargs

    @property
    def context(self) -> str:
        """What the ciphertext is bound to: ``app_label.model.field``."""
        return f"{self.model._meta.label_lower}.{self.name}"

    def db_type_parameters(self, connection):
        params = dict(super().db_type_parameters(connection))
        params["max_length"] = _stored_length(self.max_length)
        return params

    # Reading ------------------------------------------------------------------------

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return SealedStr(crypto.unseal(value, context=self.context), value, self.context)

    def to_python(self, value):
        if value is None or isinstance(value, SealedStr):
            return value
        value = str(value)
        if crypto.is_sealed(value):  # a backup being restored: the stored form
            return SealedStr(crypto.unseal(value, context=self.context), value, self.context)
        return value

    def clean(self, value, model_instance):
        if crypto.is_sealed(value) and not isinstance(value, SealedStr):
            raise ValidationError(_("Enter the value itself."), code="sealed")
        return super().clean(value, model_instance)

    def audit_value(self, value):
        """What the audit trail records: the masked value."""
        return crypto.MASKS[self.mask](value) if value else value

    # Writing ------------------------------------------------------------------------

    def _sealed(self, value) -> str:
        if isinstance(value, SealedStr) and value.sealed and value.context == self.context:
            return value.sealed  # unchanged since it was read: the same ciphertext
        return crypto.seal(value, context=self.context)

    def get_prep_value(self, value):
        if value is None:
            return None
        value = value if isinstance(value, SealedStr) else str(value)
        return self._sealed(value) if value else ""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value and not (isinstance(value, SealedStr) and value.context == self.context):
            value = SealedStr(str(value), self._sealed(str(value)), self.context)
            setattr(model_instance, self.attname, value)
        return value

    def value_to_string(self, obj):
        """Serialization (backups, fixtures) carries the ciphertext, never the plain value."""
        return self.get_prep_value(self.value_from_object(obj))

    # Queries ------------------------------------------------------------------------

    def refusal(self, lookup_name: str) -> str:
        index = next(
            (
                f.name
                for f in self.model._meta.concrete_fields
                if isinstance(f, BlindIndexField) and f.of == self.name
            ),
            None,
        )
        how = f"filter on {index}__matches=<value>" if index else "it has no blind index"
        return f"{self.context} is encrypted: the lookup {lookup_name!r} cannot run on it; {how}."

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _EmptyOnly
        raise FieldError(self.refusal(lookup_name))

    def get_transform(self, name):
        raise FieldError(self.refusal(name))


class BlindIndexField(models.CharField):
    """The keyed hash of an ``EncryptedCharField`` (``of``), for exact lookups and uniqueness;
    computed on every save, never edited. Empty when the value is empty (NULL, so a unique
    index allows many)."""

    description = _("Lookup hash of an encrypted field")
    audited = False

    def __init__(self, *args, of: str, **kwargs):
        self.of = of
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        kwargs["of"] = self.of
        return name, "gaoxin.core.fields.BlindIndexField", args, kwargs

    @property
    def source(self) -> EncryptedCharField:
        return self.model._meta.get_field(self.of)

    def compute(self, model_instance) -> str | None:
        value = getattr(model_instance, self.source.attname)
        return crypto.blind_index(value, context=self.source.context) if value else None

    def pre_save(self, model_instance, add):
        digest = self.compute(model_instance)
        setattr(model_instance, self.attname, digest)
        return digest

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            signals.pre_save.connect(
                self._check_update_fields,
                sender=cls,
                weak=False,
                dispatch_uid=f"blind-index:{cls.__module__}.{cls.__qualname__}.{name}:{id(cls)}",
            )

    def _check_update_fields(self, sender, instance, update_fields=None, **kwargs):
        # A save that writes the value but not its index would leave lookups stale.
        if update_fields and self.of in update_fields and self.name not in update_fields:
            raise FieldError(
                f"{sender._meta.label}.{self.of} is saved without its blind index "
                f"{self.name}: add {self.name!r} to update_fields."
            )


@BlindIndexField.register_lookup
class Matches(lookups.In):
    """``<index>__matches=<plain value>``: rows whose encrypted value equals it exactly (after
    ``crypto.normalise``), under any configured hash key."""

    lookup_name = "matches"

    def get_prep_lookup(self):
        field = self.lhs.output_field
        self.rhs = crypto.blind_index_candidates(str(self.rhs), context=field.source.context)
        return super().get_prep_lookup()


def blind_index_values(obj: models.Model, names) -> dict[str, str | None]:
    """The blind indexes to write with a partial update of ``names`` (save_with_version)."""
    names = set(names)
    return {
        f.attname: f.pre_save(obj, False)
        for f in obj._meta.concrete_fields
        if isinstance(f, BlindIndexField) and f.of in names
    }


def encrypt_existing(app_label: str, model_name: str, fields: dict[str, str | None]):
    """A migration operation: encrypt the plain values already stored in ``fields`` (name →
    its blind index column, or None) and fill the indexes; in reverse, decrypt them. Run it
    while the historical fields are plain, wide CharFields (see talent/0002)."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        prefix = f"{model._meta.label_lower}."
        for row in model._base_manager.values("pk", *fields).iterator():
            changes = {}
            for name, index in fields.items():
                plain = row[name]
                if not plain or crypto.is_sealed(plain):
                    continue
                changes[name] = crypto.seal(plain, context=prefix + name)
                if index:
                    changes[index] = crypto.blind_index(plain, context=prefix + name)
            if changes:
                model._base_manager.filter(pk=row["pk"]).update(**changes)

    def backward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        prefix = f"{model._meta.label_lower}."
        for row in model._base_manager.values("pk", *fields).iterator():
            changes = {}
            for name, index in fields.items():
                if crypto.is_sealed(row[name]):
                    changes[name] = crypto.unseal(row[name], context=prefix + name)
                    if index:
                        changes[index] = None
            if changes:
                model._base_manager.filter(pk=row["pk"]).update(**changes)

    return migrations.RunPython(forward, backward, elidable=False)


@checks.register(checks.Tags.security, deploy=True)
def check_field_keys_from_environment(app_configs=None, **kwargs):
    """`manage.py check --deploy`: production keeps the field keys outside the server's disk."""
    if not settings.FIELD_KEYS_FROM_FILE:
        return []
    return [
        checks.Warning(
            f"The keys that encrypt personal data come from the local file "
            f"{settings.FIELD_KEYS_FILE} (made for the demo).",
            hint="Set FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEYS in the environment from the "
            "deployment's secret store, and keep them out of every backup (docs/security.md).",
            id="gaoxin.W010",
        )
    ]
