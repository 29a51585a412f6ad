# ruff: noqa: RUF001, E501  (Kazakh and Russian texts are the data here; long sentences stay whole)
"""The help page's first content, in Kazakh, Russian and English (loaded by `manage.py demo`; staff edit
it in the administration). General information, written for this demo from public sources' common ground
(the Law on the prevention of domestic violence, the 111 contact centre): check it with lawyers before
publishing it for real."""

from __future__ import annotations

PAGES: list[dict[str, object]] = [
    {
        "slug": "what-is-violence",
        "order": 1,
        "title": {
            "kk": "Тұрмыстық зорлық-зомбылық дегеніміз не",
            "ru": "Что такое домашнее насилие",
            "en": "What domestic violence is",
        },
        "body": {
            "kk": "Тұрмыстық зорлық-зомбылық – отбасы мүшесінің, бұрынғы жұбайдың немесе бірге тұратын адамның "
            "екінші адамды басқару үшін күш, қорқыту немесе қорлау қолдануы.\n\n"
            "Ол тек ұрып-соғу емес: қорқыту, балағаттау, ақшадан айыру, туыстарыңызбен араласуға тыйым салу, "
            "телефоныңызды тексеру және жыныстық зорлық та зорлық-зомбылыққа жатады.\n\n"
            "Бұл сіздің кінәңіз емес. Көмек тегін, оны жасырын түрде сұрауға болады.",
            "ru": "Домашнее насилие – это когда член семьи, бывший супруг или человек, с которым вы живёте, "
            "применяет силу, угрозы или унижение, чтобы контролировать другого.\n\n"
            "Это не только побои: угрозы, оскорбления, лишение денег, запрет видеться с родными, проверка "
            "телефона и сексуальное насилие – тоже насилие.\n\n"
            "Вы в этом не виноваты. Помощь бесплатна, и попросить о ней можно анонимно.",
            "en": "Domestic violence is when a family member, a former spouse or someone you live with uses "
            "force, threats or humiliation to control another person.\n\n"
            "It is not only beating: threats, insults, taking away money, forbidding you to see your family, "
            "checking your phone and sexual violence are violence too.\n\n"
            "It is not your fault. Help is free, and you can ask for it anonymously.",
        },
    },
    {
        "slug": "after-a-call",
        "order": 2,
        "title": {
            "kk": "Қоңыраудан кейін не болады",
            "ru": "Что происходит после звонка",
            "en": "What happens after a call",
        },
        "body": {
            "kk": "102-ге қоңырау шалсаңыз, полиция келеді. Хабарлама тіркеледі және сіз арызды кері қайтарып "
            "алсаңыз да, тексеріледі: бұл заң талабы.\n\n"
            "Полиция қорғау нұсқамасын бере алады: зорлық жасаушыға сізге жақындауға, хабарласуға тыйым "
            "салынады. Сот қосымша шектеулер белгілей алады.\n\n"
            "111-ге қоңырау шалсаңыз, маман сізді тыңдап, дағдарыс орталығы, психолог немесе заңгер табуға "
            "көмектеседі. Атыңызды айтпауға болады.",
            "ru": "Если вы позвоните 102, приедет полиция. Сообщение регистрируется и проверяется, даже если вы "
            "потом откажетесь от заявления: так требует закон.\n\n"
            "Полиция может вынести защитное предписание: обидчику запрещается приближаться к вам и "
            "связываться с вами. Суд может установить дополнительные ограничения.\n\n"
            "Если вы позвоните 111, специалист выслушает вас и поможет найти кризисный центр, психолога или "
            "юриста. Называть своё имя не обязательно.",
            "en": "If you call 102, the police come. The report is registered and looked into even if you "
            "later withdraw your statement: the law requires it.\n\n"
            "The police can issue a protective order: the abuser is forbidden to come near you or contact "
            "you. A court can set further restrictions.\n\n"
            "If you call 111, a specialist listens and helps you find a crisis centre, a psychologist or a "
            "lawyer. You do not have to give your name.",
        },
    },
    {
        "slug": "your-rights",
        "order": 3,
        "title": {"kk": "Сіздің құқықтарыңыз", "ru": "Ваши права", "en": "Your rights"},
        "body": {
            "kk": "Сіз қорғау нұсқамасын және сот арқылы қосымша шектеулерді сұрай аласыз.\n\n"
            "Дағдарыс орталықтары сізге және балаларыңызға уақытша баспана, психологиялық, медициналық және "
            "заң көмегін тегін береді. Олардың мекенжайы жарияланбайды: бұл сондағы адамдардың қауіпсіздігі "
            "үшін.\n\n"
            "Сізге тегін заң көмегі көрсетіледі. Сіз өз тіліңізде – қазақ немесе орыс тілінде сөйлеуге "
            "құқылысыз.",
            "ru": "Вы можете просить защитное предписание и, через суд, дополнительные ограничения.\n\n"
            "Кризисные центры бесплатно дают вам и вашим детям временное жильё, психологическую, медицинскую и "
            "юридическую помощь. Их адреса не публикуются: это ради безопасности тех, кто там живёт.\n\n"
            "Вам положена бесплатная юридическая помощь. Вы вправе говорить на своём языке – казахском или "
            "русском.",
            "en": "You can ask for a protective order and, through a court, further restrictions.\n\n"
            "Crisis centres give you and your children temporary shelter and psychological, medical and legal "
            "help free of charge. Their addresses are not published, for the safety of the people staying "
            "there.\n\n"
            "You are entitled to free legal help, and to speak your own language, Kazakh or Russian.",
        },
    },
    {
        "slug": "help-a-friend",
        "order": 4,
        "title": {
            "kk": "Досыңызға қалай көмектесуге болады",
            "ru": "Как помочь подруге или другу",
            "en": "How to help a friend",
        },
        "body": {
            "kk": "Тыңдаңыз және сеніңіз. «Неге кетпейсің?» деп сұрамаңыз: кету – ең қауіпті сәт болуы мүмкін.\n\n"
            "111 нөмірін және осы сайтты айтыңыз. Оның орнына шешім қабылдамаңыз, бірақ қасында болыңыз.\n\n"
            "Егер қазір қауіп төнсе, 102-ге қоңырау шалыңыз.",
            "ru": "Выслушайте и поверьте. Не спрашивайте «почему ты не уходишь?»: уход может быть самым опасным "
            "моментом.\n\n"
            "Расскажите о номере 111 и об этом сайте. Не решайте за неё или за него, но будьте рядом.\n\n"
            "Если опасность есть прямо сейчас, звоните 102.",
            "en": 'Listen, and believe them. Do not ask "why don\'t you leave?": leaving can be the most '
            "dangerous moment.\n\n"
            "Tell them about 111 and this site. Do not decide for them, but stay close.\n\n"
            "If there is danger right now, call 102.",
        },
    },
    {
        "slug": "cover-your-tracks",
        "order": 5,
        "title": {"kk": "Іздеріңізді жасыру", "ru": "Как скрыть следы", "en": "Cover your tracks"},
        "body": {
            "kk": "Бұл сайт cookie файлдарын орнатпайды, аналитика қолданбайды және басқа сайттардан ештеңе "
            "жүктемейді. Бірақ браузер тарихы мен құрылғының өзі бәрібір із қалдыруы мүмкін.\n\n"
            "Жеке (инкогнито) терезені пайдаланыңыз: Chrome-да Ctrl+Shift+N, Firefox-та Ctrl+Shift+P, "
            "телефонда браузер мәзірінен «Жаңа жасырын қойынды».\n\n"
            "Бүкіл тарихты өшірмеңіз: кенеттен бос тарих күдік тудыруы мүмкін. Тек осы сайттың жазбаларын "
            "өшірген дұрыс.\n\n"
            "Жоғарыдағы қызыл батырма немесе Shift пернесін үш рет басу сайттан бірден шығарады.",
            "ru": "Этот сайт не ставит cookie, не использует аналитику и ничего не загружает с других сайтов. "
            "Но история браузера и само устройство всё равно могут оставить следы.\n\n"
            "Используйте приватное окно (инкогнито): в Chrome Ctrl+Shift+N, в Firefox Ctrl+Shift+P, на "
            "телефоне – «Новая вкладка инкогнито» в меню браузера.\n\n"
            "Не удаляйте всю историю целиком: внезапно пустая история может вызвать подозрение. Лучше удалить "
            "только записи этого сайта.\n\n"
            "Красная кнопка вверху или трижды нажатая клавиша Shift сразу уводят с сайта.",
            "en": "This site sets no cookies, uses no analytics and loads nothing from other sites. But the "
            "browser's history and the device itself can still leave traces.\n\n"
            'Use a private (incognito) window: Ctrl+Shift+N in Chrome, Ctrl+Shift+P in Firefox, or "New '
            "incognito tab\" in your phone browser's menu.\n\n"
            "Do not wipe your whole history: a history that is suddenly empty can itself alert an abuser. "
            "Delete only this site's entries.\n\n"
            "The red button at the top, or Shift pressed three times, leaves the site at once.",
        },
    },
]
