# ruff: noqa: RUF001, RUF002  (Cyrillic names are the data here, not look-alike Latin letters)
"""Synthetic name lists for demo persons and demo staff: common Kazakh and Russian given names and surnames.

Only combinations drawn at random from these lists are ever generated; no real person's data is used.
Female surnames add -а to the male form (Ахметов -> Ахметова); Kazakh patronymics use -ұлы / -қызы.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

KAZAKH_MALE = [
    "Айдар", "Арман", "Асхат", "Бауыржан", "Ерлан", "Ержан", "Нұрлан", "Серік", "Дәурен", "Қайрат",
    "Марат", "Данияр", "Әлихан", "Ерасыл", "Нұрсұлтан", "Ілияс", "Мұхтар", "Төлеген", "Асқар", "Бекзат",
]  # fmt: skip
KAZAKH_FEMALE = [
    "Айгерім", "Гүлнар", "Әсел", "Динара", "Жанар", "Сәуле", "Айжан", "Мадина", "Аружан", "Ақмарал",
    "Гүлмира", "Жансая", "Назерке", "Меруерт", "Салтанат", "Қарлығаш", "Жұлдыз", "Ләззат", "Айым", "Томирис",
]  # fmt: skip
KAZAKH_SURNAMES = [
    "Ахметов", "Омаров", "Сүлейменов", "Жақыпов", "Қасымов", "Әбілов", "Нұрпейісов", "Бекмұхамбетов",
    "Тұрсынов", "Исаев", "Серікбаев", "Жұмабаев", "Оспанов", "Мұратов", "Ибраев", "Қалиев", "Байжанов",
    "Ермеков", "Сәрсенов", "Төлеубаев",
]  # fmt: skip

RUSSIAN_MALE = [
    "Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Михаил", "Николай", "Владимир",
    "Евгений", "Павел", "Артём", "Максим", "Виктор", "Юрий",
]  # fmt: skip
RUSSIAN_FEMALE = [
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария", "Екатерина", "Юлия",
    "Людмила", "Анастасия", "Галина", "Марина", "Вера",
]  # fmt: skip
RUSSIAN_SURNAMES = [
    "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Лебедев", "Козлов", "Павлов",
]  # fmt: skip
# Father's name -> (son's patronymic, daughter's patronymic).
RUSSIAN_PATRONYMICS = {
    "Александр": ("Александрович", "Александровна"),
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Алексей": ("Алексеевич", "Алексеевна"),
    "Иван": ("Иванович", "Ивановна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Николай": ("Николаевич", "Николаевна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Павел": ("Павлович", "Павловна"),
    "Виктор": ("Викторович", "Викторовна"),
    "Юрий": ("Юрьевич", "Юрьевна"),
}

# Share of Kazakh names among generated persons (the rest Russian).
KAZAKH_SHARE = 0.65


@dataclass(frozen=True)
class Name:
    surname: str
    given_name: str
    patronymic: str


def feminine(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname


def random_name(rng: random.Random, *, female: bool) -> Name:
    """A synthetic full name of the given sex, Kazakh or Russian."""
    if rng.random() < KAZAKH_SHARE:
        surname = rng.choice(KAZAKH_SURNAMES)
        given = rng.choice(KAZAKH_FEMALE if female else KAZAKH_MALE)
        father = rng.choice(KAZAKH_MALE)
        patronymic = father + ("қызы" if female else "ұлы")
    else:
        surname = rng.choice(RUSSIAN_SURNAMES)
        given = rng.choice(RUSSIAN_FEMALE if female else RUSSIAN_MALE)
        son, daughter = RUSSIAN_PATRONYMICS[rng.choice(sorted(RUSSIAN_PATRONYMICS))]
        patronymic = daughter if female else son
    return Name(surname=feminine(surname) if female else surname, given_name=given, patronymic=patronymic)
