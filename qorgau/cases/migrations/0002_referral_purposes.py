"""The starting referral purposes and the sections each one opens, frozen as they were written.

A migration must create the same rows whenever it runs, so the table is a literal here; administrators
maintain the rows as data afterwards. `consent_purpose` values are people.ConsentPurpose codes.
"""

from django.db import migrations

PURPOSES = [
    # code, en, ru, kk, sections, discloses identity, consent purpose
    (
        "psychological",
        "Psychological help",
        "Психологическая помощь",
        "Психологиялық көмек",
        ["summary", "identity", "assessment", "safety_plan", "services"],
        True,
        "psychological",
    ),
    (
        "legal",
        "Legal help",
        "Юридическая помощь",
        "Заң көмегі",
        ["summary", "identity", "assessment", "case_plan"],
        True,
        "legal",
    ),
    (
        "medical",
        "Medical help",
        "Медицинская помощь",
        "Медициналық көмек",
        ["summary", "identity", "services"],
        True,
        "medical",
    ),
    (
        "shelter",
        "Shelter placement",
        "Размещение в кризисном центре",
        "Дағдарыс орталығына орналастыру",
        ["summary", "identity", "safety_plan", "children"],
        True,
        "shelter",
    ),
    (
        "social",
        "Social support",
        "Социальная поддержка",
        "Әлеуметтік қолдау",
        ["summary", "identity", "case_plan", "children"],
        True,
        "referral",
    ),
    (
        "education",
        "Education of the children",
        "Обучение детей",
        "Балалардың білім алуы",
        ["summary", "identity", "children"],
        True,
        "referral",
    ),
    (
        "employment",
        "Employment",
        "Трудоустройство",
        "Жұмысқа орналастыру",
        ["summary", "identity", "case_plan"],
        True,
        "referral",
    ),
    (
        "consultation",
        "Case consultation without identifying data",
        "Консультация по случаю без идентифицирующих данных",
        "Сәйкестендіретін деректерсіз іс бойынша кеңес",
        ["summary", "assessment"],
        False,
        "information_sharing",
    ),
]


def seed(apps, schema_editor):
    ReferralPurpose = apps.get_model("cases", "ReferralPurpose")
    for code, en, ru, kk, sections, identity, consent in PURPOSES:
        ReferralPurpose.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_ru": ru,
                "name_kk": kk,
                "sections": sections,
                "discloses_identity": identity,
                "consent_purpose": consent,
                "access_days": 90,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("cases", "ReferralPurpose").objects.filter(code__in=[p[0] for p in PURPOSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed, elidable=False)]
