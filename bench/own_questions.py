"""The survey results page with 20 own questions answered by every response of the big
wave, against the same aggregates (built-in and own) in raw SQL."""

from __future__ import annotations

import statistics
import time

from django.db import connection

from bench.common import QUICK, Measure, interleave, session_client

OWN_RATIO, OWN_QUERIES = 2.0, 16
# 20 questions: ratings, yes/no, single and multiple choices and texts, like a real survey.
KINDS = (["rating5"] * 5 + ["rating11"] * 3 + ["yesno"] * 4 + ["single"] * 4 + ["multiple"] * 2) + [
    "short"
] * 2
OPTIONS = ("first", "second", "third")


def _byte(position: int) -> str:
    """A pseudo-random byte of the response's random UUID: each question its own."""
    return f"get_byte(uuid_send(r.id), {position % 16})"


def seed_own_questions(survey_id: int, wave_id: int) -> int:
    """20 own questions and their answers, one INSERT … SELECT over the wave's responses
    per question (per option for several choices); returns the rows written."""
    from surveys.models import Question, QuestionAnswer, QuestionChoice, Response

    answers = QuestionAnswer._meta.db_table
    responses = Response._meta.db_table
    columns = "id, response_id, wave_id, question_id, number, choice_id, text"
    written = 0
    for position, kind in enumerate(KINDS):
        question = Question.objects.create(
            survey_id=survey_id,
            key=f"own_{position}",
            position=position,
            kind=kind,
            text_ru=f"Собственный вопрос {position}",
            text_en=f"Own question {position}",
        )
        choices = [
            QuestionChoice.objects.create(
                question=question, key=key, label_ru=key, label_en=key, position=i
            ).pk
            for i, key in enumerate(OPTIONS if kind in ("single", "multiple") else ())
        ]
        byte = _byte(position)
        selects: list[tuple[str, str]] = []  # (number, choice, text), condition
        if kind == "rating5":
            selects = [(f"1 + {byte} %% 5, NULL, ''", "TRUE")]
        elif kind == "rating11":
            selects = [(f"{byte} %% 11, NULL, ''", "TRUE")]
        elif kind == "yesno":
            selects = [(f"{byte} %% 2, NULL, ''", "TRUE")]
        elif kind == "single":
            case = f"CASE {byte} %% 3 WHEN 0 THEN {choices[0]} WHEN 1 THEN {choices[1]} "
            selects = [(f"NULL, {case}ELSE {choices[2]} END, ''", "TRUE")]
        elif kind == "multiple":
            selects = [
                (f"NULL, {choice}, ''", f"({byte} & {1 << i}) <> 0")
                for i, choice in enumerate(choices)
            ]
        else:
            selects = [("NULL, NULL, 'Текст ответа'", f"{byte} %% 10 = 0")]
        for values, condition in selects:
            sql = (
                f"INSERT INTO {answers} ({columns}) "  # noqa: S608 - our own names
                f"SELECT gen_random_uuid(), r.id, r.wave_id, {question.pk}, {values} "
                f"FROM {responses} r WHERE r.wave_id = %s AND {condition}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [wave_id])
                written += cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {answers}")
    return written


def raw_own_sql(raw_sql: str, survey_id: int) -> list[str]:
    """The own questions' aggregates of the page, hand-written: numbers, options and
    respondents, and (the survey is anonymous) the built-in counts of ``raw_sql`` per
    option of every grouping question, which the comment list's anonymity rule needs."""
    from surveys.models import Question, QuestionAnswer, Response

    table = QuestionAnswer._meta.db_table
    counts = raw_sql.split("SELECT ", 1)[1].split(" FROM ", 1)[0]
    grouping = ", ".join(
        str(pk)
        for pk in Question.objects.filter(
            survey_id=survey_id, kind__in=("single", "yesno")
        ).values_list("pk", flat=True)
    )
    return [
        f"SELECT qa.question_id, qa.choice_id, qa.number, {counts} "  # noqa: S608 - ours
        f"FROM {table} qa JOIN {Response._meta.db_table} r ON r.id = qa.response_id "
        f"WHERE qa.wave_id = %s AND qa.question_id IN ({grouping}) GROUP BY 1, 2, 3",
        f"SELECT question_id, number, COUNT(*) FROM {table} "  # noqa: S608 - ours
        "WHERE wave_id = %s AND number IS NOT NULL GROUP BY 1, 2",
        f"SELECT question_id, choice_id, COUNT(*) FROM {table} "  # noqa: S608 - ours
        "WHERE wave_id = %s AND choice_id IS NOT NULL GROUP BY 1, 2",
        f"SELECT question_id, COUNT(DISTINCT response_id) FROM {table} "  # noqa: S608 - ours
        "WHERE wave_id = %s AND choice_id IS NOT NULL GROUP BY 1",
    ]


def measure_own_results_page(
    port: int, site, *, survey_id: int, wave_id: int, responses: int, raw_sql: str
) -> Measure:
    """The results page of the big wave once its responses answer 20 own questions."""
    from bench.surveys import page_queries

    measure = Measure(
        name="Survey results page with 20 own questions at 1,000,000 responses vs raw SQL",
        unit="ms",
        goal=f"ratio ≤ {OWN_RATIO}, ≤ {OWN_QUERIES} queries",
    )
    if connection.vendor != "postgresql":
        return measure.unavailable("needs PostgreSQL (gen_random_uuid, uuid_send)")
    started = time.perf_counter()
    written = seed_own_questions(survey_id, wave_id)
    seeded = time.perf_counter() - started
    path = f"/surveys/{survey_id}/results/"
    queries = page_queries(site, path)
    own_sql = raw_own_sql(raw_sql, survey_id)
    client = session_client(port, site.session_key)
    times: dict[str, list[float]] = {"ours": [], "baseline": []}
    answers: dict[str, int] = {}

    def ours() -> None:
        started = time.perf_counter()
        reply = client.request("GET", path)
        times["ours"].append(time.perf_counter() - started)
        if reply.status != 200:
            raise RuntimeError(f"survey results page answered {reply.status}")
        answers["bytes"] = len(reply.body)

    def baseline() -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [wave_id])
            answers["n"] = cursor.fetchone()[0]
            for sql in own_sql:
                cursor.execute(sql, [wave_id])
                cursor.fetchall()
        times["baseline"].append(time.perf_counter() - started)

    ours()
    ours()  # warm-up
    baseline()
    times = {"ours": [], "baseline": []}
    interleave(3 if QUICK else 5, ours, baseline)
    client.close()
    if answers["n"] != responses:
        raise RuntimeError(f"the raw SQL counted {answers['n']} responses, not {responses}")
    measure.ours = round(statistics.median(times["ours"]) * 1000, 1)
    measure.baseline = round(statistics.median(times["baseline"]) * 1000, 1)
    measure.ratio = round(measure.ours / measure.baseline, 3)
    measure.judge(measure.ratio, OWN_RATIO)
    measure.met = measure.met and len(queries) <= OWN_QUERIES
    measure.detail = {
        "responses": responses,
        "answer_rows": written,
        "seed_seconds": round(seeded, 1),
        "queries": len(queries),
        "page_sql": queries,
        "raw_sql": [raw_sql, *own_sql],
        "bytes": answers["bytes"],
        "runs_ms": {k: [round(v * 1000, 1) for v in t] for k, t in times.items()},
    }
    measure.note = (
        f"{responses:,} responses answering 20 own questions ({written:,} answer rows); "
        f"ours: GET of the results page, {len(queries)} queries; baseline: the built-in "
        f"aggregate, the own questions' 3 GROUP BYs and the built-in counts per option of "
        f"the 8 grouping questions (anonymity of the comment list) in hand-written SQL; "
        f"median of "
        f"{len(times['ours'])} runs"
    )
    return measure
