# ruff: noqa: RUF001, RUF002  (Cyrillic and Kazakh Latin letters are the data here)
"""Name pools of the synthetic national set and the four ways a registry spells a name.

Only combinations drawn from these lists are generated: no real person's data. Kazakh surnames are made
from given-name roots with the usual endings (Нұрлан -> Нұрланов, Серік -> Серікбаев), which gives the
pool the size a national set needs (a few hundred surnames, so that name plus birth date is nearly unique
within a region, as in life).

Spellings (DOMAIN.md 3a): 0 the civil registry's own (Kazakh Cyrillic for Kazakh names), 1 Russified
Cyrillic (Ә -> А, Қ -> К, Ұ -> У ...), 2 the 2021 Kazakh Latin alphabet, 3 passport Latin (ICAO 9303,
upper case). Each unique name is spelled once in Python; persons and records carry integer codes.
"""

from __future__ import annotations

KAZAKH_MALE = [
    "Айдар", "Арман", "Асхат", "Бауыржан", "Ерлан", "Ержан", "Нұрлан", "Серік", "Дәурен", "Қайрат",
    "Марат", "Данияр", "Әлихан", "Ерасыл", "Нұрсұлтан", "Ілияс", "Мұхтар", "Төлеген", "Асқар", "Бекзат",
    "Ақылбек", "Әділет", "Айбек", "Алмас", "Амангелді", "Арыстан", "Бақытжан", "Болат", "Ғалым", "Дастан",
    "Дулат", "Еркін", "Жандос", "Жасұлан", "Жомарт", "Қанат", "Қуаныш", "Мейірхан", "Мұрат", "Нұржан",
    "Олжас", "Рүстем", "Самат", "Санжар", "Талғат", "Темірлан", "Тимур", "Ұлан", "Шыңғыс", "Ясауи",
    "Бейбіт", "Ерболат", "Жақсылық", "Әмір", "Ерғали", "Кенжебек", "Мақсат", "Нұрбол", "Сұлтан", "Өмірзақ",
]  # fmt: skip
KAZAKH_FEMALE = [
    "Айгерім", "Гүлнар", "Әсел", "Динара", "Жанар", "Сәуле", "Айжан", "Мадина", "Аружан", "Ақмарал",
    "Гүлмира", "Жансая", "Назерке", "Меруерт", "Салтанат", "Қарлығаш", "Жұлдыз", "Ләззат", "Айым", "Томирис",
    "Ақбота", "Әйгерім", "Айнұр", "Алия", "Балжан", "Дана", "Дариға", "Жібек", "Зарина", "Индира",
    "Қымбат", "Күләш", "Құралай", "Мөлдір", "Нұргүл", "Перизат", "Раушан", "Сымбат", "Тоғжан", "Ұлжан",
    "Шынар", "Эльмира", "Арайлым", "Гүлжан", "Жаңыл", "Камила", "Ләйлә", "Маржан", "Нәзира", "Сандуғаш",
]  # fmt: skip
# Roots of Kazakh surnames (a father's or grandfather's name) and the endings the registry uses.
KAZAKH_SURNAME_ROOTS = [
    "Ахмет", "Омар", "Сүлеймен", "Жақып", "Қасым", "Әбіл", "Нұрпейіс", "Бекмұхамбет", "Тұрсын", "Иса",
    "Серік", "Жұма", "Оспан", "Мұрат", "Ибра", "Қали", "Байжан", "Ермек", "Сәрсен", "Төлеу",
    "Абдрахман", "Әлім", "Бақыт", "Дүйсен", "Елеу", "Жексен", "Исмайыл", "Кәрім", "Құдайберген", "Мамыт",
    "Нұрлан", "Орал", "Рахым", "Сағынды", "Тоқтар", "Өтеген", "Шәкен", "Ыбырай", "Есім", "Асыл",
    "Болат", "Жанұзақ", "Қожахмет", "Мырза", "Сейіт", "Тілеу", "Үмбет", "Хамит", "Шайхы", "Ержан",
    "Айтмұхамбет", "Бейсен", "Дәулет", "Есен", "Жайлау", "Жолдас", "Қуаныш", "Мұхаметжан", "Смағұл",
    "Әбдікәрім",
]  # fmt: skip
KAZAKH_SURNAME_ENDINGS = ["ов", "ев", "бай", "баев", "бек", "беков"]
RUSSIAN_MALE = [
    "Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Михаил", "Николай", "Владимир",
    "Евгений", "Павел", "Артём", "Максим", "Виктор", "Юрий", "Олег", "Игорь", "Роман", "Константин",
    "Денис", "Антон", "Вадим", "Геннадий", "Григорий", "Степан", "Фёдор", "Егор", "Кирилл", "Илья", "Пётр",
]  # fmt: skip
RUSSIAN_FEMALE = [
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария", "Екатерина", "Юлия",
    "Людмила", "Анастасия", "Галина", "Марина", "Вера", "Дарья", "Ксения", "Алёна", "Валентина", "Лариса",
    "Надежда", "Оксана", "Полина", "Софья", "Виктория", "Евгения", "Любовь", "Тамара", "Зоя", "Яна",
]  # fmt: skip
RUSSIAN_SURNAMES = [
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Лебедев", "Козлов", "Павлов", "Семёнов", "Голубев", "Виноградов",
    "Богданов", "Воробьёв", "Филиппов", "Марков", "Макаров", "Захаров", "Зайцев", "Соловьёв", "Борисов",
    "Яковлев", "Григорьев", "Романов", "Воронин", "Сорокин", "Киселёв", "Ильин", "Гусев", "Титов",
    "Кудрявцев", "Баранов", "Куликов", "Алексеев", "Степанов", "Орлов", "Андреев", "Никитин", "Белов",
    "Тарасов", "Жуков", "Комаров", "Медведев", "Ершов", "Шевченко", "Бондаренко", "Ковальчук", "Ткаченко",
]  # fmt: skip


def kazakh_surnames() -> list[str]:
    return [root + ending for root in KAZAKH_SURNAME_ROOTS for ending in KAZAKH_SURNAME_ENDINGS]


def feminine(surname: str) -> str:
    """Ахметов -> Ахметова; Жұмабай, Шевченко unchanged."""
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    return surname


def russian_patronymic(father: str, *, female: bool) -> str:
    """Сергей -> Сергеевич / Сергеевна; Нұрлан -> Нурланович (the Russified form of a Kazakh name)."""
    name = russify(father)
    if name.endswith("ий"):
        stem, male, fem = name[:-2], "ьевич", "ьевна"
        if stem.endswith(("г", "к", "х")):
            male, fem = "иевич", "иевна"
    elif name.endswith("ей") or name.endswith("ай"):
        stem, male, fem = name[:-1], "евич", "евна"
    elif name.endswith("а") or name.endswith("я"):
        stem, male, fem = name[:-1], "ич", "ична"
    elif name.endswith("ь"):
        stem, male, fem = name[:-1], "евич", "евна"
    else:
        stem, male, fem = name, "ович", "овна"
    return stem + (fem if female else male)


def kazakh_patronymic(father: str, *, female: bool) -> str:
    """Нұрлан -> Нұрланұлы / Нұрланқызы."""
    return father + ("қызы" if female else "ұлы")


RUSSIFY = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
                         "і": "и", "Ә": "А", "Ғ": "Г", "Қ": "К", "Ң": "Н", "Ө": "О", "Ұ": "У", "Ү": "У",
                         "Һ": "Х", "І": "И"})  # fmt: skip

LATIN_2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o",
    "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h",
    "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip
PASSPORT = {
    "а": "A", "ә": "A", "б": "B", "в": "V", "г": "G", "ғ": "G", "д": "D", "е": "E", "ё": "E", "ж": "ZH",
    "з": "Z", "и": "I", "й": "I", "к": "K", "қ": "K", "л": "L", "м": "M", "н": "N", "ң": "N", "о": "O",
    "ө": "O", "п": "P", "р": "R", "с": "S", "т": "T", "у": "U", "ұ": "U", "ү": "U", "ф": "F", "х": "KH",
    "һ": "KH", "ц": "TS", "ч": "CH", "ш": "SH", "щ": "SHCH", "ъ": "IE", "ы": "Y", "і": "I", "ь": "",
    "э": "E", "ю": "IU", "я": "IA",
}  # fmt: skip


def russify(name: str) -> str:
    return name.translate(RUSSIFY)


def latin_2021(name: str) -> str:
    out = "".join(LATIN_2021.get(c, c) for c in name.lower())
    return out[:1].upper() + out[1:]


def passport(name: str) -> str:
    return "".join(PASSPORT.get(c, c.upper()) for c in name.lower())


def spellings(name: str) -> tuple[str, str, str, str]:
    """The four spellings of a name: registry (as given), Russified Cyrillic, 2021 Latin, passport."""
    return (name, russify(name), latin_2021(name), passport(name))


SPELLINGS = 4
