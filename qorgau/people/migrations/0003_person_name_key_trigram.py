"""Name search at national scale: a trigram GIN index on ' ' || name_key, on PostgreSQL only.

The B-tree on name_key served neither `LIKE '% word%'` nor anything else (no query compares the key
as a whole), so it goes. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create
it. On SQLite both the extension and the index are skipped; the search runs the same LIKE, unindexed.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# The expression is models.SpacedKey's template on name_key, written out: the planner uses the index
# only for a query on the same expression (tests/test_search_index.py checks the plan on PostgreSQL).
# Raw SQL rather than GinIndex(OpClass(...)): OpClass needs django.contrib.postgres in INSTALLED_APPS.
CREATE = """CREATE INDEX IF NOT EXISTS person_name_key_trgm ON people_person
    USING gin ((' ' || name_key) gin_trgm_ops)"""
DROP = "DROP INDEX IF EXISTS person_name_key_trgm"


def refold_keys(apps, schema_editor):
    """people.names learnt Ё written YO/IO (Artyom, Fiodorov) and Щ written ŞŞ: the keys that can change
    are those holding 'io' or 'shsh' (the old key is the old fold, and only these new rules differ)."""
    from django.db.models import Q

    from qorgau.people.names import name_key

    Person = apps.get_model("people", "Person")
    fields = ("surname", "given_name", "patronymic", "surname_latin", "given_name_latin", "patronymic_latin")
    changed = []
    for person in Person.objects.filter(Q(name_key__contains="io") | Q(name_key__contains="shsh")).iterator():
        key = name_key(*(getattr(person, f) for f in fields))
        if key != person.name_key:
            person.name_key = key
            changed.append(person)
        if len(changed) >= 1000:
            Person.objects.bulk_update(changed, ["name_key"])
            changed = []
    Person.objects.bulk_update(changed, ["name_key"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_linked_records"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=400, verbose_name="search key"),
        ),
        migrations.RunPython(refold_keys, migrations.RunPython.noop, elidable=True),
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
