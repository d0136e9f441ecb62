"""The tables Karabash's organisations and methodical office submit.

Derived from the order's collection methods: «Формализованный сбор статистических данных с
применением электронных таблиц и онлайн форм», the statistical forms ОО-1 / 85-К / 1-ДО,
institutional monitoring, content analysis of the orders of МКУ УО КГО and the sites.
"""

from __future__ import annotations

from pedprof import Field, FieldType, Source, SubmittedBy

YES_NO = "да / нет"

_PERIOD = Field(
    "period",
    "Учебный год",
    FieldType.PERIOD,
    "Отчётный учебный год, например 2023-2024 (сведения представляются до 05 августа)",
)
_ORG = Field(
    "org_id", "Код организации", FieldType.IDENTIFIER, "Код ОО по реестру методического кабинета"
)
_MUNI = Field(
    "municipality_id", "Код муниципалитета", FieldType.IDENTIFIER, "Код муниципалитета (karabash)"
)

CATEGORIES = {"teacher": "педагогический работник", "manager": "руководящий работник"}
MENTORING_ROLES = {"none": "не участвует", "mentor": "наставник", "mentee": "наставляемый"}
EVENT_KINDS = {
    "contest": "профессиональный конкурс",
    "conference": "научно-практическая конференция",
    "seminar": "семинар",
    "master_class": "мастер-класс",
    "other": "иное мероприятие",
}
EVENT_LEVELS = {
    "institutional": "институциональный",
    "municipal": "муниципальный",
    "regional": "региональный",
    "federal": "федеральный",
}
INNOVATION = {
    "mip": "МИП (муниципальная инновационная площадка)",
    "rip": "РИП (региональная инновационная площадка)",
    "fip": "ФИП (федеральная инновационная площадка)",
    "technopark": "технопарк",
}
PROJECT_TYPES = {
    "young_teachers": "поддержка молодых педагогов",
    "manager_reserve": "работа с резервом руководителей",
}
ASSOCIATION_KINDS = {
    "gmo": "городское методическое объединение",
    "community": "профессиональное сообщество",
    "network": "сетевое сообщество",
}

STAFF = Source(
    name="staff",
    title="Сведения о педагогических и руководящих работниках",
    short_title="Работники",
    submitted_by=SubmittedBy.ORGANIZATION,
    key=("period", "org_id", "person_id"),
    origin=(
        "Формализованный сбор статистических данных с применением электронных таблиц и онлайн "
        "форм; статистическая отчетность № ОО-1, № 1-ДО, № 85-К; результаты институционального "
        "статистического мониторинга"
    ),
    description=(
        "Одна строка — один работник организации (педагогический или руководящий), работавший "
        "в отчётном учебном году. Фамилии не указываются: работник обозначается обезличенным "
        "кодом, который не меняется из года в год. Руководящие работники — руководитель и "
        "заместители руководителя."
    ),
    fields=(
        _PERIOD,
        _ORG,
        Field(
            "person_id",
            "Код работника (обезличенный)",
            FieldType.IDENTIFIER,
            "Обезличенный код работника, постоянный из года в год (не СНИЛС и не ФИО)",
            personal=True,
        ),
        Field(
            "category",
            "Категория",
            FieldType.CHOICE,
            "Педагогический или руководящий работник",
            choices=CATEGORIES,
        ),
        Field(
            "position",
            "Должность",
            FieldType.STRING,
            "Например: учитель, воспитатель, директор",
            required=False,
        ),
        Field(
            "age",
            "Возраст, полных лет",
            FieldType.INTEGER,
            "Полных лет на 1 сентября отчётного учебного года",
            minimum=16,
            maximum=90,
        ),
        Field(
            "experience_years",
            "Педагогический стаж, полных лет",
            FieldType.INTEGER,
            "Полных лет педагогического стажа на 1 сентября отчётного учебного года",
            minimum=0,
            maximum=75,
            not_above="age",
        ),
        Field(
            "deficit_assessed",
            "Прошёл оценочную процедуру по выявлению профессиональных дефицитов",
            FieldType.BOOLEAN,
            "В ОГБУ «Челябинский центр оценки профессионального мастерства и квалификаций педагогов», в отчётном учебном году: "
            + YES_NO,
        ),
        Field(
            "iom",
            "Сформирован ИОМ",
            FieldType.BOOLEAN,
            "Сформирован индивидуальный образовательный маршрут: " + YES_NO,
        ),
        Field(
            "expert_score",
            "Диагностика экспертов: % выполнения",
            FieldType.NUMBER,
            "Процент выполнения диагностики уровня профессионального мастерства и квалификаций экспертов в сфере оценки качества образования (ОГБУ ЧЦОПМКП) в отчётном году; пусто, если не проходил",
            required=False,
            minimum=0,
            maximum=100,
            percent=True,
        ),
        Field("expert_register", "Включён в реестр экспертов", FieldType.BOOLEAN, YES_NO),
        Field(
            "cnppm_events",
            "Привлекается к проведению мероприятий ЦНППМ",
            FieldType.BOOLEAN,
            "Привлекается к проведению методических мероприятий в Центре непрерывного повышения профессионального мастерства педагогических работников: "
            + YES_NO,
        ),
        Field(
            "contest",
            "Участвует в конкурсах профессионального мастерства",
            FieldType.BOOLEAN,
            "В отчётном учебном году, любого уровня: " + YES_NO,
        ),
        Field(
            "support_forms",
            "Участвует в формах поддержки и сопровождения",
            FieldType.BOOLEAN,
            "Для молодых педагогов: участвует в различных формах поддержки и сопровождения: "
            + YES_NO,
        ),
        Field(
            "young_events",
            "Охвачен мероприятиями по поддержке молодых педагогов",
            FieldType.BOOLEAN,
            YES_NO,
        ),
        Field(
            "mentoring_role",
            "Участие в программах наставничества",
            FieldType.CHOICE,
            "Роль в программе наставничества",
            choices=MENTORING_ROLES,
        ),
        Field(
            "methodist_support",
            "Сопровождается педагогом-методистом",
            FieldType.BOOLEAN,
            "Сопровождается педагогом-методистом, прошедшим федеральный и (или) региональный отбор: "
            + YES_NO,
        ),
        Field(
            "manager_mentor",
            "Сопровождается руководителем-наставником",
            FieldType.BOOLEAN,
            "Для руководящих работников: " + YES_NO,
        ),
        Field(
            "dpo_date",
            "Дата окончания последнего обучения по ДПО",
            FieldType.DATE,
            "Дата окончания последней программы ДПО (повышение квалификации или профессиональная переподготовка), ДД.ММ.ГГГГ; пусто, если не обучался",
            required=False,
            period_dates="not_after",
        ),
        Field(
            "profile_education",
            "Образование соответствует профилю преподаваемого предмета",
            FieldType.BOOLEAN,
            "Для учителей общеобразовательных организаций: " + YES_NO,
            required=False,
        ),
        Field(
            "noc",
            "Прошёл независимую оценку квалификации",
            FieldType.BOOLEAN,
            "В ОГБУ ЧЦОПМКП в отчётном учебном году: " + YES_NO,
        ),
        Field(
            "cnppm_help",
            "Получает методическую помощь в ЦНППМ",
            FieldType.BOOLEAN,
            "Получает методическую помощь (поддержку) в Центре непрерывного повышения профессионального мастерства: "
            + YES_NO,
        ),
    ),
)

MENTORING_PROGRAMMES = Source(
    name="mentoring_programmes",
    title="Программы (планы) наставничества",
    short_title="Программы наставничества",
    submitted_by=SubmittedBy.ORGANIZATION,
    key=("period", "org_id", "programme_id"),
    origin="Результаты институционального статистического мониторинга",
    description="Одна строка — одна программа или план наставничества, реализуемые в организации в отчётном учебном году.",
    fields=(
        _PERIOD,
        _ORG,
        Field(
            "programme_id",
            "Номер программы",
            FieldType.IDENTIFIER,
            "Номер или краткий код программы (плана) в организации",
            normalize=True,
        ),
        Field(
            "title",
            "Наименование",
            FieldType.STRING,
            "Наименование программы (плана) наставничества",
        ),
        Field(
            "form",
            "Вид",
            FieldType.CHOICE,
            "Программа или план",
            choices={"programme": "программа", "plan": "план"},
        ),
    ),
)

EVENTS = Source(
    name="events",
    title="Мероприятия научно-практической направленности",
    short_title="Мероприятия",
    submitted_by=SubmittedBy.MUNICIPALITY,
    key=("period", "municipality_id", "event_id"),
    origin="Изучение приказов МКУ УО КГО (метод контент-анализа) и страниц официальных сайтов",
    description="Одна строка — одно мероприятие по приказу МКУ УО КГО в отчётном учебном году.",
    fields=(
        _PERIOD,
        _MUNI,
        Field(
            "event_id",
            "Номер мероприятия",
            FieldType.IDENTIFIER,
            "Номер мероприятия в реестре (например, номер и дата приказа)",
            normalize=True,
        ),
        Field("title", "Наименование мероприятия", FieldType.STRING),
        Field("kind", "Вид мероприятия", FieldType.CHOICE, choices=EVENT_KINDS),
        Field("level", "Уровень", FieldType.CHOICE, choices=EVENT_LEVELS),
        Field(
            "scientific_practical", "Научно-практической направленности", FieldType.BOOLEAN, YES_NO
        ),
        Field(
            "direction",
            "Актуальное направление развития",
            FieldType.STRING,
            "Актуальное направление развития системы образования муниципалитета, выбранное для обсуждения; пусто, если не относится",
            required=False,
            normalize=True,
        ),
        Field(
            "innovation",
            "Инновационная деятельность",
            FieldType.CHOICE,
            "Если мероприятие — методическая поддержка в рамках инновационной деятельности: МИП, РИП, ФИП или технопарк; иначе пусто",
            required=False,
            choices=INNOVATION,
        ),
        Field("date", "Дата проведения", FieldType.DATE, required=False, period_dates="within"),
    ),
)

PROJECTS = Source(
    name="projects",
    title="Проекты по поддержке молодых педагогов и руководителей",
    short_title="Проекты",
    submitted_by=SubmittedBy.MUNICIPALITY,
    key=("period", "municipality_id", "project_id"),
    origin="Сайт ГБУ ДПО ЧИППКРО / Сайт МКУ УО КГО",
    fields=(
        _PERIOD,
        _MUNI,
        Field("project_id", "Код проекта", FieldType.IDENTIFIER, normalize=True),
        Field("title", "Наименование проекта", FieldType.STRING),
        Field("type", "Направление", FieldType.CHOICE, choices=PROJECT_TYPES),
    ),
)

ASSOCIATIONS = Source(
    name="associations",
    title="Профессиональные сообщества и методические объединения",
    short_title="Сообщества и объединения",
    submitted_by=SubmittedBy.MUNICIPALITY,
    key=("period", "municipality_id", "association_id"),
    origin="Мониторинг эффективности модели методической работы в образовательной системе Челябинской области / Муниципальная методическая служба",
    fields=(
        _PERIOD,
        _MUNI,
        Field("association_id", "Код объединения", FieldType.IDENTIFIER, normalize=True),
        Field("name", "Наименование", FieldType.STRING),
        Field("kind", "Вид", FieldType.CHOICE, choices=ASSOCIATION_KINDS),
        Field("functioning", "Функционирует в отчётном году", FieldType.BOOLEAN, YES_NO),
        Field(
            "note",
            "Примечание",
            FieldType.STRING,
            "Открытие, закрытие, объединение и их причины",
            required=False,
        ),
    ),
)

SUPPORT_PROGRAMMES = Source(
    name="support_programmes",
    title="Программы поддержки методических объединений муниципального уровня",
    short_title="Программы поддержки МО",
    submitted_by=SubmittedBy.MUNICIPALITY,
    key=("period", "municipality_id", "programme_id"),
    origin="Сайт МКУ УО КГО",
    fields=(
        _PERIOD,
        _MUNI,
        Field("programme_id", "Код программы", FieldType.IDENTIFIER, normalize=True),
        Field("title", "Наименование программы", FieldType.STRING),
    ),
)

SOURCES = (STAFF, MENTORING_PROGRAMMES, EVENTS, PROJECTS, ASSOCIATIONS, SUPPORT_PROGRAMMES)
