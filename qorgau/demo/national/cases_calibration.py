# ruff: noqa: RUF001  (Russian texts are the data here, not look-alike Latin letters)
"""The calibration of the demo's victim cases (qorgau/demo/national/cases.py): how many, how they run,
who delivers services, and the Russian texts of the demo rows.

Demo data, not statistics: documented assumptions that make the demo look like the brief (DOMAIN.md
sections 4 and 7, issue 9), to be replaced by real figures where they exist.
"""

from __future__ import annotations

# DOMAIN.md 7: crisis centre applicants in 2023, 4,386 nationally (Astana 510, Almaty 410, Shymkent 358,
# Kyzylorda region 331). The demo applies the figure to every demo year at --scale 1; the other 16
# regions share the rest in proportion to their signals.
CRISIS_APPLICANTS = 4_386
CRISIS_APPLICANTS_KNOWN = {"KZ-71": 510, "KZ-75": 410, "KZ-79": 358, "KZ-43": 331}
# Family support centres (MISD) have no published figure: the demo assumes half the crisis centres' cases.
FAMILY_SUPPORT_RATIO = 0.5
# Who comes on their own (self-referral) rather than from a police signal.
SELF_REFERRAL_SHARE = {"crisis_centre": 0.2, "family_support": 0.3, "ngo": 0.6}

# A case runs 20 to 180 days (crisis centre stays are up to 6 months, DOMAIN.md 4) and then closes; some
# stay open longer (court proceedings, children, repeat violence) and a few closed ones are reopened.
CASE_DAYS = (20, 180)
LONG_RUNNING_SHARE = 0.12
REOPENED_SHARE = 0.02
ASSESSED_SHARE = 0.95
SAFETY_PLAN_SHARE = 0.88  # of assessed cases
GOALS_SHARE = 0.85  # of cases with a safety plan
REVIEW_DAYS = (14, 30)  # a safety plan is reviewed every two to four weeks
OVERDUE_SHARE = 0.35  # open cases whose current safety plan's review date has passed
NEEDS = (  # need -> share of assessed cases that have it (at least one need is always recorded)
    ("psychological", 0.85),
    ("legal", 0.6),
    ("social", 0.5),
    ("medical", 0.3),
    ("shelter", 0.25),
    ("employment", 0.15),
)
CHILD_NEEDS = (("psychological", 0.7), ("education", 0.4), ("medical", 0.15))
CHILD_SERVICE_SHARE = 0.35  # children with a psychological need who get a service of their own

# Specialists per agency type: each tuple is one specialist and the service types they are qualified for.
ROSTER: dict[str, list[tuple[str, ...]]] = {
    "crisis_centre": [
        ("psychological",),
        ("psychological",),
        ("legal",),
        ("social", "shelter", "employment"),
        ("social", "education"),
        ("medical",),
    ],
    "family_support": [("psychological",), ("social", "education", "employment"), ("legal",)],
    "health": [("medical",), ("medical",), ("psychological",)],
    "ngo": [("legal",), ("legal", "social"), ("psychological",)],
}
QUALIFICATION_YEARS = 5  # a qualification document is valid five years ...
RENEWED_SHARE = 0.85  # ... and most are renewed when they run out; the others stay expired
ISSUERS = {
    "medical": "Министерство здравоохранения РК",
    "psychological": "Ассоциация психологов Казахстана",
    "legal": "Министерство юстиции РК",
    "social": "Министерство труда и социальной защиты населения РК",
    "shelter": "Министерство труда и социальной защиты населения РК",
    "education": "Министерство просвещения РК",
    "employment": "Центр занятости населения",
}
DOCUMENT_PREFIX = {
    "medical": "МЕД",
    "psychological": "ПСИ",
    "legal": "ЮР",
    "social": "СОЦ",
    "shelter": "СОЦ",
    "education": "ОБР",
    "employment": "ЗАН",
}
SESSIONS = {  # service type -> (fewest, most) sessions, minutes per session
    "psychological": ((2, 10), (45, 90)),
    "legal": ((1, 4), (30, 120)),
    "medical": ((1, 3), (20, 60)),
    "social": ((1, 4), (30, 90)),
    "shelter": ((1, 2), (60, 120)),
    "education": ((1, 3), (30, 60)),
    "employment": ((1, 3), (30, 60)),
}

# Referrals: which need goes where, how often (the rest the owning agency serves itself).
# owner type -> need -> (receiving agency type, purpose code, share)
REFER = {
    "crisis_centre": {
        "medical": ("health", "medical", 0.7),
        "legal": ("ngo", "legal", 0.35),
        "social": ("family_support", "social", 0.15),
        "employment": ("family_support", "employment", 0.3),
    },
    "ngo": {
        "shelter": ("crisis_centre", "shelter", 0.9),
        "medical": ("health", "medical", 0.7),
    },
    "family_support": {
        "shelter": ("crisis_centre", "shelter", 0.8),
        "medical": ("health", "medical", 0.7),
        "legal": ("ngo", "legal", 0.4),
        "psychological": ("crisis_centre", "psychological", 0.2),
    },
}
CONSULTATION_SHARE = 0.05  # a case consultation without identifying data (no consent needed)
MANDATE_SHARE = 0.05  # identity referrals made under a legal mandate instead of consent
CROSS_REGION_SHELTER = 0.01  # crisis centre cases sent to another region's centre (the victim fled)
# Status of a referral of a closed case / of an open one (revoked_withdrawn: the consent was withdrawn).
CLOSED_STATUSES = (
    ("completed", 60),
    ("declined", 18),
    ("revoked", 10),
    ("revoked_withdrawn", 6),
    ("revoked_unanswered", 6),
)
OPEN_STATUSES = (
    ("requested", 25),
    ("accepted", 35),
    ("completed", 20),
    ("declined", 12),
    ("revoked", 8),
)
WAITING_HOURS = (1, 24 * 21)  # how long a referral still waiting has waited
TRANSFER_SHARE = 0.01  # open cases handed over to another region's crisis centre (the victim moved)
TRANSFER_DECLINED_SHARE = 0.004
TRANSFER_PENDING_SHARE = 0.004

# The demo region's crisis centre: what the demo case worker sees at the first login.
HOME_OPEN_CASES = 12  # open cases assigned to demo.case_worker, at least
HOME_WORKER_SHARE = 0.4  # of the centre's cases
HOME_WAITING = (3, 20, 50, 100, 220, 400)  # referrals waiting for the centre, hours
HOME_OVERDUE = 3  # of demo.case_worker's open cases, at least, with the safety plan review overdue
# The demo region's NGO (a women's support centre) works a few cases too, so that demo.lawyer delivers
# legal help in them; the NGOs of the other regions only receive referrals.
HOME_NGO_CASES = 10

CASE_STAFF = {  # agency type -> username part, case workers per agency (staff.kz-71.crisis1 ...)
    "crisis_centre": ("crisis", 3),
    "family_support": ("family", 2),
    "health": ("hospital", 1),
    "ngo": ("ngo", 1),
}

ASSESSMENT_NOTES = (
    "Первичная беседа проведена, потерпевшая сообщила о систематическом насилии.",
    "Оценка нужд проведена совместно с потерпевшей; дети проживают с ней.",
    "Потерпевшая опасается за свою безопасность, нуждается в поддержке.",
    "Беседа проведена, потерпевшая согласна на помощь центра.",
)
SAFE_PLACES = (
    "Кризисный центр",
    "У сестры",
    "У родителей",
    "У подруги",
    "Съёмная квартира",
)
SAFE_CONTACTS = ("Сестра", "Мать", "Подруга", "Соседка", "Брат", "Коллега")
CODE_WORDS = ("Подсолнух", "Ромашка", "Зелёный чай", "Жёлтый зонт", "Синий шарф", "Бабочка")
CHILDREN_PLANS = (
    "Дети остаются с матерью; школа предупреждена, кто может забирать детей.",
    "Ребёнок знает, как позвонить по номеру 111 и к кому идти.",
)
HOTLINES = "111, 102, 150"
GOALS = {
    "psychological": "Снизить тревожность, восстановить чувство безопасности",
    "legal": "Подготовить документы для суда и защитного предписания",
    "social": "Оформить пособия и восстановить документы",
    "medical": "Пройти медицинское обследование и лечение",
    "shelter": "Обеспечить безопасное временное проживание",
    "employment": "Найти работу и обрести финансовую самостоятельность",
    "education": "Устроить ребёнка в школу по новому месту жительства",
}
SESSION_OUTCOMES = {
    "psychological": (
        "Консультация проведена, отмечается снижение тревожности.",
        "Работа с травмой, техники стабилизации.",
        "Групповое занятие, потерпевшая активно участвовала.",
    ),
    "legal": (
        "Консультация по защитному предписанию.",
        "Подготовлено исковое заявление.",
        "Сопровождение в суде.",
    ),
    "medical": ("Осмотр проведён, назначено лечение.", "Повторный осмотр, состояние улучшилось."),
    "social": ("Помощь в оформлении документов.", "Оформлено пособие."),
    "shelter": ("Размещение в центре, проведён инструктаж.", "Продление проживания."),
    "education": ("Ребёнок устроен в школу.", "Встреча с классным руководителем."),
    "employment": ("Составлено резюме, направлена на собеседование.", "Трудоустроена."),
}
CLOSURES = (  # outcome, weight, reason
    ("goals_met", 45, "Цели плана помощи достигнуты, потерпевшая в безопасности."),
    ("safe", 20, "Угроза миновала, потерпевшая не нуждается в дальнейшей помощи."),
    ("moved_away", 8, "Потерпевшая переехала в другой город."),
    ("declined", 15, "Потерпевшая отказалась от дальнейшей помощи."),
    ("no_contact", 10, "Связь с потерпевшей утрачена после нескольких попыток."),
    ("other", 2, "Потерпевшая вернулась к семье по собственному решению."),
)
REOPEN_REASONS = (
    "Повторное обращение: насилие возобновилось.",
    "Потерпевшая вновь обратилась за помощью.",
)
REFERRAL_NOTES = {
    "medical": "Просим провести обследование и лечение.",
    "legal": "Просим консультацию юриста и сопровождение в суде.",
    "social": "Просим помочь с оформлением пособий.",
    "employment": "Просим содействия в трудоустройстве.",
    "shelter": "Просим разместить потерпевшую с детьми в центре.",
    "psychological": "Просим курс психологической помощи.",
    "consultation": "Просим консультацию по сложному случаю.",
}
DECLINE_REASONS = (
    "Нет свободных мест.",
    "Услуга не входит в компетенцию организации.",
    "Потерпевшая проживает вне зоны обслуживания.",
)
REVOKE_REASONS = (
    "Потерпевшая попросила отозвать направление.",
    "Помощь получена в другой организации.",
)
COMPLETE_NOTES = ("Помощь оказана.", "Курс завершён.", "Консультации проведены.")
WITHDRAWAL_REASONS = ("Потерпевшая отозвала согласие.", "Потерпевшая не желает передачи данных.")
CONSENT_NOTES = "Письменное согласие, подписано в центре."
LEGAL_MANDATE = "Закон РК «О профилактике бытового насилия», ст. 10"
MANDATE_REASON = "Угроза жизни и здоровью потерпевшей; согласие получить невозможно."
TRANSFER_REASONS = (
    "Потерпевшая переехала к родственникам в другой регион.",
    "Потерпевшая переехала в другой город в целях безопасности.",
)
TRANSFER_DECLINE_REASONS = ("Нет свободных мест в центре.",)
SIGNAL_SHARED = "Передано в центр для помощи потерпевшей."
CHILD_NOTES = ("Ребёнок был свидетелем насилия.", "Ребёнок нуждается в поддержке психолога.")
