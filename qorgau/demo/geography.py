# ruff: noqa: RUF001  (Cyrillic names are the data here, not look-alike Latin letters)
"""Demo districts: a handful of second-level units per region, named in English, Russian and Kazakh.

The three cities of republican significance get all their city districts. Each oblast gets its
administrative centre (a city of regional significance) and three of its rural districts. Names are real
units; the codes (`KZ-71-01`) are the demo's own, not KATO codes.
"""

from __future__ import annotations

# region code -> [(name_en, name_ru, name_kk)]
DISTRICTS: dict[str, list[tuple[str, str, str]]] = {
    "KZ-10": [
        ("Semey City", "город Семей", "Семей қаласы"),
        ("Ayagoz District", "Аягозский район", "Аягөз ауданы"),
        ("Zharma District", "Жарминский район", "Жарма ауданы"),
        ("Urzhar District", "Урджарский район", "Үржар ауданы"),
    ],
    "KZ-11": [
        ("Kokshetau City", "город Кокшетау", "Көкшетау қаласы"),
        ("Burabay District", "Бурабайский район", "Бурабай ауданы"),
        ("Zerendi District", "Зерендинский район", "Зеренді ауданы"),
        ("Shortandy District", "Шортандинский район", "Шортанды ауданы"),
    ],
    "KZ-15": [
        ("Aktobe City", "город Актобе", "Ақтөбе қаласы"),
        ("Khromtau District", "Хромтауский район", "Хромтау ауданы"),
        ("Mugalzhar District", "Мугалжарский район", "Мұғалжар ауданы"),
        ("Martuk District", "Мартукский район", "Мәртөк ауданы"),
    ],
    "KZ-19": [
        ("Qonaev City", "город Конаев", "Қонаев қаласы"),
        ("Ili District", "Илийский район", "Іле ауданы"),
        ("Karasai District", "Карасайский район", "Қарасай ауданы"),
        ("Talgar District", "Талгарский район", "Талғар ауданы"),
    ],
    "KZ-23": [
        ("Atyrau City", "город Атырау", "Атырау қаласы"),
        ("Zhylyoi District", "Жылыойский район", "Жылыой ауданы"),
        ("Makhambet District", "Махамбетский район", "Махамбет ауданы"),
        ("Inder District", "Индерский район", "Индер ауданы"),
    ],
    "KZ-27": [
        ("Oral City", "город Уральск", "Орал қаласы"),
        ("Burli District", "Бурлинский район", "Бөрлі ауданы"),
        ("Terekti District", "Теректинский район", "Теректі ауданы"),
        ("Akzhaik District", "Акжаикский район", "Ақжайық ауданы"),
    ],
    "KZ-31": [
        ("Taraz City", "город Тараз", "Тараз қаласы"),
        ("Baizak District", "Байзакский район", "Байзақ ауданы"),
        ("Merke District", "Меркенский район", "Меркі ауданы"),
        ("Korday District", "Кордайский район", "Қордай ауданы"),
    ],
    "KZ-33": [
        ("Taldykorgan City", "город Талдыкорган", "Талдықорған қаласы"),
        ("Eskeldi District", "Ескельдинский район", "Ескелді ауданы"),
        ("Karatal District", "Каратальский район", "Қаратал ауданы"),
        ("Sarkand District", "Саркандский район", "Сарқан ауданы"),
    ],
    "KZ-35": [
        ("Karaganda City", "город Караганда", "Қарағанды қаласы"),
        ("Bukhar-Zhyrau District", "Бухар-Жырауский район", "Бұқар жырау ауданы"),
        ("Karkaraly District", "Каркаралинский район", "Қарқаралы ауданы"),
        ("Osakarovka District", "Осакаровский район", "Осакаров ауданы"),
    ],
    "KZ-39": [
        ("Kostanay City", "город Костанай", "Қостанай қаласы"),
        ("Kostanay District", "Костанайский район", "Қостанай ауданы"),
        ("Zhitikara District", "Житикаринский район", "Жітіқара ауданы"),
        ("Karabalyk District", "Карабалыкский район", "Қарабалық ауданы"),
    ],
    "KZ-43": [
        ("Kyzylorda City", "город Кызылорда", "Қызылорда қаласы"),
        ("Aral District", "Аральский район", "Арал ауданы"),
        ("Kazaly District", "Казалинский район", "Қазалы ауданы"),
        ("Shieli District", "Шиелийский район", "Шиелі ауданы"),
    ],
    "KZ-47": [
        ("Aktau City", "город Актау", "Ақтау қаласы"),
        ("Munaily District", "Мунайлинский район", "Мұнайлы ауданы"),
        ("Beineu District", "Бейнеуский район", "Бейнеу ауданы"),
        ("Tupkaragan District", "Тупкараганский район", "Түпқараған ауданы"),
    ],
    "KZ-55": [
        ("Pavlodar City", "город Павлодар", "Павлодар қаласы"),
        ("Bayanaul District", "Баянаульский район", "Баянауыл ауданы"),
        ("Irtysh District", "Иртышский район", "Ертіс ауданы"),
        ("Aktogay District", "Актогайский район", "Ақтоғай ауданы"),
    ],
    "KZ-59": [
        ("Petropavl City", "город Петропавловск", "Петропавл қаласы"),
        ("Kyzylzhar District", "Кызылжарский район", "Қызылжар ауданы"),
        ("Esil District", "Есильский район", "Есіл ауданы"),
        ("Aiyrtau District", "Айыртауский район", "Айыртау ауданы"),
    ],
    "KZ-61": [
        ("Turkestan City", "город Туркестан", "Түркістан қаласы"),
        ("Sairam District", "Сайрамский район", "Сайрам ауданы"),
        ("Tole Bi District", "Толебийский район", "Төле би ауданы"),
        ("Saryagash District", "Сарыагашский район", "Сарыағаш ауданы"),
    ],
    "KZ-62": [
        ("Zhezkazgan City", "город Жезказган", "Жезқазған қаласы"),
        ("Ulytau District", "Улытауский район", "Ұлытау ауданы"),
        ("Zhanaarka District", "Жанааркинский район", "Жаңаарқа ауданы"),
        ("Satbayev City", "город Сатпаев", "Сәтбаев қаласы"),
    ],
    "KZ-63": [
        ("Oskemen City", "город Усть-Каменогорск", "Өскемен қаласы"),
        ("Glubokoye District", "Глубоковский район", "Глубокое ауданы"),
        ("Ulan District", "Уланский район", "Ұлан ауданы"),
        ("Shemonaikha District", "Шемонаихинский район", "Шемонаиха ауданы"),
    ],
    "KZ-71": [
        ("Almaty District", "район Алматы", "Алматы ауданы"),
        ("Baikonur District", "район Байконур", "Байқоңыр ауданы"),
        ("Yesil District", "район Есиль", "Есіл ауданы"),
        ("Saryarka District", "район Сарыарка", "Сарыарқа ауданы"),
        ("Nura District", "район Нура", "Нұра ауданы"),
    ],
    "KZ-75": [
        ("Alatau District", "Алатауский район", "Алатау ауданы"),
        ("Almaly District", "Алмалинский район", "Алмалы ауданы"),
        ("Auezov District", "Ауэзовский район", "Әуезов ауданы"),
        ("Bostandyk District", "Бостандыкский район", "Бостандық ауданы"),
        ("Zhetysu District", "Жетысуский район", "Жетісу ауданы"),
        ("Medeu District", "Медеуский район", "Медеу ауданы"),
        ("Nauryzbay District", "Наурызбайский район", "Наурызбай ауданы"),
        ("Turksib District", "Турксибский район", "Түрксіб ауданы"),
    ],
    "KZ-79": [
        ("Abay District", "Абайский район", "Абай ауданы"),
        ("Al-Farabi District", "Аль-Фарабийский район", "Әл-Фараби ауданы"),
        ("Enbekshi District", "Енбекшинский район", "Еңбекші ауданы"),
        ("Karatau District", "Каратауский район", "Қаратау ауданы"),
        ("Turan District", "район Туран", "Тұран ауданы"),
    ],
}


def district_code(region_code: str, index: int) -> str:
    """`KZ-71-01` for the first demo district of Astana."""
    return f"{region_code}-{index:02d}"
