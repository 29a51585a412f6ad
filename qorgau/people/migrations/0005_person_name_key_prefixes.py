"""Name search at national scale: a GIN index of every prefix of every word of name_key (PostgreSQL).

"Each query word starts a word of the key" becomes `qorgau_word_prefixes(name_key) @> ARRAY[words]`
(models.NameWordsStart), which GIN answers by intersecting the posting lists of the query words with
its fast scan: ~1 ms among a million persons where a pg_trgm GIN index on the same key took ~90 ms
(the trigrams of names are common to hundreds of thousands of rows; bench/README.md has the figures).
The B-tree on name_key served no query (none compares the key as a whole), so it goes. Nothing here
runs on SQLite, where the search is the same condition as a LIKE per word, unindexed.
"""

from django.db import migrations, models

# IMMUTABLE (a pure function of its argument), so that it can be indexed; PL/pgSQL, so that it is never
# inlined and the planner matches the query's call with the index expression (and it is 3x faster than
# the same in SQL with unnest and generate_series: 20 million keys are indexed in minutes).
FUNCTION = """CREATE OR REPLACE FUNCTION qorgau_word_prefixes(key text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    word text;
    n int;
    prefixes text[] := '{}';
BEGIN
    FOREACH word IN ARRAY string_to_array(key, ' ') LOOP
        FOR n IN 1..length(word) LOOP
            prefixes := prefixes || left(word, n);
        END LOOP;
    END LOOP;
    RETURN prefixes;
END
$$"""
INDEX = """CREATE INDEX IF NOT EXISTS person_name_key_prefixes ON people_person
    USING gin (qorgau_word_prefixes(name_key))"""


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
        schema_editor.execute(FUNCTION)
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_key_prefixes")
        schema_editor.execute("DROP FUNCTION IF EXISTS qorgau_word_prefixes(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_doctor_registers_persons"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=400, verbose_name="search key"),
        ),
        migrations.RunPython(refold_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
