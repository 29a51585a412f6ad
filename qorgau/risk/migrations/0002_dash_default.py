"""The DASH-style default instrument, version 1, published, and the conference referral rule (DOMAIN.md 6).

Frozen as literals: the texts are modelled on the SafeLives DASH risk identification checklist (2009),
written plainly for Kazakhstan in English, Russian and Kazakh. 24 items, answered yes / no / don't know;
the score counts "yes" answers; 14 or more is high risk (a referral to the risk conference), 10 to 13
medium, below 10 standard. Escalation: 3 or more signals for the victim in 365 days; a repeat incident:
within 365 days of the last conference that discussed the victim. Unconfirmed values stay data.
"""

import datetime as dt

from django.db import migrations

START = dt.date(2022, 1, 1)  # covers the demo years (2022 on)
SOURCE = "SafeLives DASH risk identification checklist (2009), adapted"
BANDS = [
    {
        "code": "standard",
        "min_score": 0,
        "label_en": "standard",
        "label_ru": "стандартный",
        "label_kk": "стандартты",
        "refer": False,
    },
    {
        "code": "medium",
        "min_score": 10,
        "label_en": "medium",
        "label_ru": "средний",
        "label_kk": "орташа",
        "refer": False,
    },
    {
        "code": "high",
        "min_score": 14,
        "label_en": "high",
        "label_ru": "высокий",
        "label_kk": "жоғары",
        "refer": True,
    },
]
# (code, English, Russian, Kazakh, help in English, Russian, Kazakh)
ITEMS = [
    (
        "injury",
        "Has the current incident resulted in an injury?",
        "Причинены ли вам телесные повреждения в результате этого случая?",
        "Осы оқиғада сізге дене жарақаты келтірілді ме?",
        "Note what you can see and what she tells you; offer medical help.",
        "Отметьте то, что видно, и то, что она рассказывает; предложите медицинскую помощь.",
        "Көзге көрінетінін және өзі айтқанын белгілеңіз; медициналық көмек ұсыныңыз.",
    ),
    (
        "frightened",
        "Are you very frightened?",
        "Вы очень напуганы?",
        "Сіз қатты қорқып жүрсіз бе?",
        "",
        "",
        "",
    ),
    (
        "isolated",
        "Do you feel isolated from family or friends? Does the person who harms you try to stop you seeing them?",
        "Чувствуете ли вы себя оторванной от родных и друзей? Мешает ли обидчик вам видеться с ними?",
        "Өзіңізді туыстарыңыз бен достарыңыздан оқшауланған сезінесіз бе? Сізге зорлық көрсететін адам "
        "олармен көрісуге кедергі жасай ма?",
        "",
        "",
        "",
    ),
    (
        "depressed",
        "Are you feeling depressed or having thoughts of suicide?",
        "Чувствуете ли вы подавленность, бывают ли у вас мысли о самоубийстве?",
        "Көңіл-күйіңіз жиі түсіп жүр ме, өз-өзіңізге қол жұмсау туралы ойлар келе ме?",
        "If she says yes, tell her about the 111 line and offer a psychologist today.",
        "Если да, расскажите о линии 111 и предложите помощь психолога сегодня же.",
        "Иә деп жауап берсе, 111 желісі туралы айтып, бүгіннің өзінде психолог көмегін ұсыныңыз.",
    ),
    (
        "separation",
        "Have you separated or tried to separate from this person within the past year?",
        "Расставались ли вы или пытались расстаться с обидчиком за последний год?",
        "Соңғы бір жылда сол адаммен ажырастыңыз ба немесе ажырасуға тырыстыңыз ба?",
        "",
        "",
        "",
    ),
    (
        "child_contact",
        "Is there conflict over contact with the children?",
        "Есть ли конфликт из-за общения с детьми?",
        "Балалармен кездесу мәселесінде жанжал бар ма?",
        "",
        "",
        "",
    ),
    (
        "stalking",
        "Does the person constantly text, call, contact, follow, stalk or harass you?",
        "Обидчик постоянно пишет, звонит, ищет встречи, следит за вами, преследует или донимает вас?",
        "Ол адам сізге үнемі хабарлама жазып, қоңырау шалып, соңыңыздан аңдып, мазаңызды ала ма?",
        "",
        "",
        "",
    ),
    (
        "pregnancy",
        "Are you pregnant, or have you had a baby in the last 18 months?",
        "Вы беременны или родили ребёнка за последние 18 месяцев?",
        "Сіз жүктісіз бе немесе соңғы 18 айда босандыңыз ба?",
        "",
        "",
        "",
    ),
    (
        "child_harm",
        "Has the person ever hurt or threatened to hurt the children or other dependants?",
        "Причинял ли обидчик когда-либо вред детям или другим иждивенцам, угрожал ли им?",
        "Ол адам балаларға немесе қамқорлығыңыздағы басқа адамдарға бұрын-соңды зиян келтірді ме немесе "
        "зиян келтіремін деп қорқытты ма?",
        "A yes also means a referral for the children's protection.",
        "Ответ «да» означает также обращение в службу защиты детей.",
        "«Иә» деген жауап балаларды қорғау қызметіне жолдауды да білдіреді.",
    ),
    (
        "more_often",
        "Is the abuse happening more often?",
        "Насилие стало происходить чаще?",
        "Зорлық-зомбылық жиілеп кетті ме?",
        "",
        "",
        "",
    ),
    (
        "getting_worse",
        "Is the abuse getting worse?",
        "Насилие становится более жестоким?",
        "Зорлық-зомбылық күшейіп барады ма?",
        "",
        "",
        "",
    ),
    (
        "control",
        "Does the person try to control everything you do, or are they excessively jealous?",
        "Пытается ли обидчик контролировать всё, что вы делаете, или он чрезмерно ревнив?",
        "Ол адам сіздің әр ісіңізді бақылауға тырыса ма немесе шектен тыс қызғаншақ па?",
        "",
        "",
        "",
    ),
    (
        "weapons",
        "Has the person ever used weapons or objects to hurt you?",
        "Применял ли обидчик когда-либо оружие или предметы, чтобы причинить вам вред?",
        "Ол адам сізге зиян келтіру үшін бұрын-соңды қару немесе басқа зат қолданды ма?",
        "",
        "",
        "",
    ),
    (
        "threats_to_kill",
        "Has the person ever threatened to kill you or someone else, and you believed them?",
        "Угрожал ли обидчик когда-либо убить вас или кого-то другого, и вы поверили в эту угрозу?",
        "Ол адам сізді немесе басқа біреуді өлтіремін деп қорқытты ма, және сіз оған сендіңіз бе?",
        "",
        "",
        "",
    ),
    (
        "strangulation",
        "Has the person ever tried to strangle, choke, suffocate or drown you?",
        "Пытался ли обидчик когда-либо душить вас, перекрывать вам дыхание или топить?",
        "Ол адам сізді бұрын-соңды тұншықтыруға, буындыруға немесе суға батыруға әрекет жасады ма?",
        "Strangulation often leaves no mark; ask even when you see no injury.",
        "Удушение часто не оставляет следов; спрашивайте, даже если повреждений не видно.",
        "Тұншықтыру көбіне із қалдырмайды; жарақат көрінбесе де сұраңыз.",
    ),
    (
        "sexual_abuse",
        "Does the person do or say things of a sexual nature that make you feel bad or that physically hurt you "
        "or someone else?",
        "Делает или говорит ли обидчик что-то сексуального характера, от чего вам плохо или что причиняет "
        "физическую боль вам или другим?",
        "Ол адам сізді қорлайтын немесе сізге не басқаға дене ауыртпалығын тудыратын жыныстық сипаттағы "
        "әрекет жасай ма немесе сөз айта ма?",
        "",
        "",
        "",
    ),
    (
        "other_threat",
        "Is there another person who has threatened you or whom you are afraid of?",
        "Есть ли другой человек, который вам угрожал или которого вы боитесь?",
        "Сізді қорқытқан немесе сіз қорқатын басқа адам бар ма?",
        "",
        "",
        "",
    ),
    (
        "hurt_others",
        "Do you know if the person has hurt anyone else?",
        "Известно ли вам, причинял ли обидчик вред кому-то ещё?",
        "Ол адамның басқа біреуге зиян келтіргенін білесіз бе?",
        "",
        "",
        "",
    ),
    (
        "animals",
        "Has the person ever mistreated an animal or the family pet?",
        "Проявлял ли обидчик когда-либо жестокость к животным или домашнему питомцу?",
        "Ол адам бұрын-соңды жануарға немесе үй жануарына қатыгездік көрсетті ме?",
        "",
        "",
        "",
    ),
    (
        "financial",
        "Are there money problems: do you depend on the person for money, does the person control your money, "
        "or has the person recently lost a job?",
        "Есть ли денежные трудности: зависите ли вы от обидчика материально, распоряжается ли он вашими "
        "деньгами, не потерял ли он недавно работу?",
        "Ақшаға байланысты қиындықтар бар ма: сіз ол адамға қаржылай тәуелдісіз бе, ол сіздің ақшаңызға "
        "билік жүргізе ме, немесе ол жақында жұмысынан айырылды ма?",
        "",
        "",
        "",
    ),
    (
        "substance_misuse",
        "In the past year, has the person had problems with drugs, alcohol or mental health that made ordinary "
        "life difficult?",
        "Были ли у обидчика за последний год проблемы с наркотиками, алкоголем или психическим здоровьем, "
        "мешающие обычной жизни?",
        "Соңғы бір жылда ол адамның есірткіге, ішімдікке немесе психикалық денсаулыққа байланысты күнделікті "
        "өмірге кедергі болған қиындықтары болды ма?",
        "",
        "",
        "",
    ),
    (
        "suicide_threats",
        "Has the person ever threatened or attempted suicide?",
        "Угрожал ли обидчик когда-либо покончить с собой или пытался это сделать?",
        "Ол адам бұрын-соңды өзіне қол жұмсаймын деп қорқытты ма немесе оған әрекет жасады ма?",
        "",
        "",
        "",
    ),
    (
        "breaches",
        "Has the person ever broken a protective order, a court's requirements or any agreement?",
        "Нарушал ли обидчик когда-либо защитное предписание, требования суда или другие договорённости?",
        "Ол адам бұрын-соңды қорғау нұсқамасын, соттың талаптарын немесе басқа келісімді бұзды ма?",
        "",
        "",
        "",
    ),
    (
        "criminal_history",
        "Do you know if the person has ever been in trouble with the police or has a criminal record?",
        "Известно ли вам, были ли у обидчика проблемы с полицией или судимость?",
        "Ол адамның полициямен мәселесі болғанын немесе сотталғанын білесіз бе?",
        "",
        "",
        "",
    ),
]


def forwards(apps, schema_editor):
    Instrument = apps.get_model("risk", "Instrument")
    Version = apps.get_model("risk", "InstrumentVersion")
    Item = apps.get_model("risk", "Item")
    ReferralRule = apps.get_model("risk", "ReferralRule")
    instrument, _ = Instrument.objects.get_or_create(
        code="dash",
        defaults={
            "name_en": "Risk identification checklist (DASH-style)",
            "name_ru": "Опросник выявления риска (по образцу DASH)",
            "name_kk": "Тәуекелді анықтау сауалнамасы (DASH үлгісі)",
        },
    )
    if Version.objects.filter(instrument=instrument).exists():
        return
    version = Version.objects.create(
        instrument=instrument,
        number=1,
        status="draft",
        scoring="count_yes",
        bands=BANDS,
        effective_from=START,
        source=SOURCE,
        notes="The default shipped with the system; a ministry publishes its own version in the administration.",
    )
    for position, (code, en, ru, kk, help_en, help_ru, help_kk) in enumerate(ITEMS, start=1):
        Item.objects.create(
            version=version,
            position=position,
            code=code,
            text_en=en,
            text_ru=ru,
            text_kk=kk,
            help_en=help_en,
            help_ru=help_ru,
            help_kk=help_kk,
        )
    version.status = "published"
    version.save(update_fields=["status"])
    ReferralRule.objects.get_or_create(
        code="conference",
        effective_from=START,
        defaults={"escalation_signals": 3, "escalation_days": 365, "repeat_days": 365, "source": SOURCE},
    )


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
