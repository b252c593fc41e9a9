"""The built-in survey questions, in our own wording, in Russian and English.

Question text lives here, not in the ``.po`` catalogue (STYLE 15: instrument text is
translated where it is defined). A survey is a set of *blocks*; each block asks a fixed list of
questions. Answers are stored in fixed columns of ``Response`` named after the question keys,
so a wave's counts come from one aggregate query (STYLE 14). ``VERSION`` is stored on every
wave: wording may be fixed in place, a change of meaning needs a new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language

VERSION = 1

CUSTOMER = "customer"
EMPLOYEE = "employee"

# Block keys.
NPS = "nps"
CSAT = "csat"
CES = "ces"
EXIT = "exit"
ENGAGEMENT = "employee"

CUSTOMER_BLOCKS = (NPS, CSAT, CES, EXIT)
EMPLOYEE_BLOCKS = (ENGAGEMENT,)

COMMENT_MAX_LENGTH = 1000
CHANNEL_NAME_MAX_LENGTH = 100

Text = dict[str, str]


def pick(text: Text, language: str | None = None) -> str:
    """The text in the active language (Russian when the language is unknown)."""
    language = (language or get_language() or "ru")[:2]
    return text.get(language) or text["ru"]


@dataclass(frozen=True)
class Question:
    key: str  # also the Response column
    kind: str  # "scale" (integers low..high), "choice" or "text"
    text: Text
    low: int = 0
    high: int = 10
    labels: dict[int, Text] = field(default_factory=dict)  # every labelled point
    choices: tuple[tuple[str, Text], ...] = ()
    required: bool = True
    hint: Text = field(default_factory=dict)

    @property
    def scale(self) -> range:
        return range(self.low, self.high + 1)

    def label(self, value: int) -> str:
        return pick(self.labels[value]) if value in self.labels else str(value)

    def choice_label(self, value: str) -> str:
        return next((pick(text) for key, text in self.choices if key == value), value)


NPS_QUESTION = Question(
    key="nps",
    kind="scale",
    text={
        "en": "How likely are you to recommend us to a friend or colleague?",
        "ru": "Насколько вероятно, что вы порекомендуете нас другу или коллеге?",
    },
    labels={
        0: {"en": "Not at all likely", "ru": "Точно не порекомендую"},
        10: {"en": "Extremely likely", "ru": "Обязательно порекомендую"},
    },
)

CSAT_QUESTION = Question(
    key="csat",
    kind="scale",
    low=1,
    high=5,
    text={
        "en": "How would you rate our service today?",
        "ru": "Как вы оцениваете наше обслуживание сегодня?",
    },
    labels={
        1: {"en": "Very poor", "ru": "Очень плохо"},
        2: {"en": "Poor", "ru": "Плохо"},
        3: {"en": "Neither good nor poor", "ru": "Ни хорошо, ни плохо"},
        4: {"en": "Good", "ru": "Хорошо"},
        5: {"en": "Very good", "ru": "Отлично"},
    },
)

CES_QUESTION = Question(
    key="ces",
    kind="scale",
    low=1,
    high=7,
    text={
        "en": "The company made it easy for me to handle my issue.",
        "ru": "Компания позволила мне легко решить мой вопрос.",
    },
    hint={
        "en": "How much do you agree? 7 means the easiest.",
        "ru": "Насколько вы согласны? 7 — проще всего.",
    },
    labels={
        1: {"en": "Strongly disagree", "ru": "Совершенно не согласен"},
        2: {"en": "Disagree", "ru": "Не согласен"},
        3: {"en": "Somewhat disagree", "ru": "Скорее не согласен"},
        4: {"en": "Neither agree nor disagree", "ru": "Ни да ни нет"},
        5: {"en": "Somewhat agree", "ru": "Скорее согласен"},
        6: {"en": "Agree", "ru": "Согласен"},
        7: {"en": "Strongly agree", "ru": "Полностью согласен"},
    },
)

EXIT_REASON_QUESTION = Question(
    key="exit_reason",
    kind="choice",
    text={
        "en": "What is the main reason you stopped coming to us?",
        "ru": "Почему вы перестали к нам обращаться?",
    },
    choices=(
        ("price", {"en": "Too expensive", "ru": "Слишком дорого"}),
        ("quality", {"en": "Quality of the product", "ru": "Качество продукта"}),
        ("service", {"en": "How I was treated", "ru": "Отношение ко мне"}),
        ("offer", {"en": "Found a better offer", "ru": "Нашёл предложение лучше"}),
        (
            "convenience",
            {"en": "Inconvenient place or hours", "ru": "Неудобно добираться или время работы"},
        ),
        ("need", {"en": "No longer need it", "ru": "Больше не нужно"}),
        ("other", {"en": "Something else", "ru": "Другое"}),
    ),
)

EXIT_WHERE_QUESTION = Question(
    key="exit_where",
    kind="choice",
    required=False,
    text={"en": "Where did you go instead?", "ru": "Куда вы ушли?"},
    choices=(
        ("competitor", {"en": "To another company", "ru": "В другую компанию"}),
        ("self", {"en": "I do it myself now", "ru": "Теперь делаю сам"}),
        (
            "nowhere",
            {"en": "I stopped using such services", "ru": "Перестал пользоваться такими услугами"},
        ),
        ("undecided", {"en": "Not decided yet", "ru": "Ещё не решил"}),
    ),
)

ENPS_QUESTION = Question(
    key="enps",
    kind="scale",
    text={
        "en": "How likely are you to recommend our company as a place to work?",
        "ru": "Насколько вероятно, что вы порекомендуете нашу компанию как место работы?",
    },
    labels={
        0: {"en": "Not at all likely", "ru": "Точно не порекомендую"},
        10: {"en": "Extremely likely", "ru": "Обязательно порекомендую"},
    },
)

STATE_QUESTION = Question(
    key="state_at_work",
    kind="scale",
    text={
        "en": "How is your overall state at work?",
        "ru": "Как вы в целом себя чувствуете на работе?",
    },
    labels={
        0: {"en": "Very bad", "ru": "Очень плохо"},
        10: {"en": "Excellent", "ru": "Отлично"},
    },
)

PROCESS_QUESTION = Question(
    key="process_ease",
    kind="scale",
    text={
        "en": "How convenient are your work processes?",
        "ru": "Насколько удобны ваши рабочие процессы?",
    },
    labels={
        0: {"en": "Very inconvenient", "ru": "Очень неудобно"},
        10: {"en": "Very convenient", "ru": "Очень удобно"},
    },
)

TEAM_QUESTION = Question(
    key="team",
    kind="choice",
    required=False,
    text={"en": "Your team or department", "ru": "Ваша команда или отдел"},
    hint={
        "en": "Optional. Results for a team are shown only when enough people from it answer.",
        "ru": (
            "Необязательно. Результаты команды показываются, только если ответило достаточно людей."
        ),
    },
)

COMMENT_TEXTS: dict[str, Text] = {
    NPS: {
        "en": "What is the main reason for your score?",
        "ru": "Что главным образом повлияло на вашу оценку?",
    },
    CSAT: {"en": "What could we do better?", "ru": "Что нам стоит улучшить?"},
    CES: {"en": "What could we do better?", "ru": "Что нам стоит улучшить?"},
    EXIT: {"en": "What would bring you back?", "ru": "Что могло бы вас вернуть?"},
    ENGAGEMENT: {
        "en": "The one thing you would fix in how we work",
        "ru": "Одна вещь, которую вы бы исправили в нашей работе",
    },
}


def comment_question(blocks: list[str] | tuple[str, ...]) -> Question:
    """One free-text question per survey; its wording follows the first block."""
    first = next((b for b in (*EMPLOYEE_BLOCKS, NPS, EXIT, CSAT, CES) if b in blocks), NPS)
    return Question(
        key="comment",
        kind="text",
        required=False,
        text=COMMENT_TEXTS[first],
        hint={"en": "Optional.", "ru": "Необязательно."},
    )


BLOCK_QUESTIONS: dict[str, tuple[Question, ...]] = {
    NPS: (NPS_QUESTION,),
    CSAT: (CSAT_QUESTION,),
    CES: (CES_QUESTION,),
    EXIT: (EXIT_REASON_QUESTION, EXIT_WHERE_QUESTION),
    ENGAGEMENT: (ENPS_QUESTION, STATE_QUESTION, PROCESS_QUESTION),
}

SCALE_QUESTIONS: dict[str, Question] = {
    q.key: q for questions in BLOCK_QUESTIONS.values() for q in questions if q.kind == "scale"
}
CHOICE_QUESTIONS: dict[str, Question] = {
    q.key: q for questions in BLOCK_QUESTIONS.values() for q in questions if q.kind == "choice"
}


def questions_for(blocks: list[str] | tuple[str, ...], *, teams: list[str] | None = None):
    """The questions of a survey in page order: scored and choice questions, then the team,
    then the comment."""
    ordered = [b for b in (*EMPLOYEE_BLOCKS, *CUSTOMER_BLOCKS) if b in blocks]
    questions = [q for block in ordered for q in BLOCK_QUESTIONS[block]]
    if teams:
        questions.append(TEAM_QUESTION)
    questions.append(comment_question(ordered))
    return questions
