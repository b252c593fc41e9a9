"""Key drivers through the worker path (issue 15: < 10 s): a closed wave of 100,000
responses × 10 own rating questions (1,000,000 answer rows) in the bench's own PostgreSQL
database, timed as the task does it (``surveys.services.driver_analysis_run``: claim, the
one pivoting query, ``key_drivers`` with the bootstrap, store), on one BLAS thread. Prints
the read and compute times over three runs after a warm-up, then the time from the
request to the stored result through a real Celery worker; exits 1 if the best in-process
run misses the goal.

    DATABASE_URL=postgres://… .venv/bin/python bench/drivers_worker.py [responses] [ratings]
"""

from __future__ import annotations

import datetime
import os
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.drivers import GOAL_SECONDS, ONE_THREAD, RUNS, generated  # noqa: E402
from bench.harness import Environment, say, start_worker, wait_until  # noqa: E402


def seed(responses: int, ratings: int):
    """The wave, its questions and answers: the same generated data as bench/drivers.py,
    inserted by INSERT … SELECT FROM unnest(arrays)."""
    from django.db import connection

    from cxaudit.accounts.models import Organisation, OrganisationKind
    from surveys import services
    from surveys.models import Question, QuestionAnswer, Response

    nps, columns = generated(responses, ratings)
    company = Organisation.objects.create(kind=OrganisationKind.COMPANY, name="Bench drivers")
    survey = services.survey_create(
        company=company, title="Key drivers", audience="customer", blocks=["nps"], by=None
    )
    wave = services.wave_create(
        survey=survey, opens_on=datetime.date(2025, 1, 1), closes_on=datetime.date(2025, 3, 31)
    )
    questions = Question.objects.bulk_create(
        Question(survey=survey, key=column.key, kind="rating5", position=j, text_ru=column.key)
        for j, column in enumerate(columns)
    )
    ids = [str(uuid.uuid4()) for _ in range(responses)]
    response_table = Response._meta.db_table
    answer_table = QuestionAnswer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(  # table names from the models, every value a parameter
            f"INSERT INTO {response_table} (id, wave_id, submitted_on, source, nps, "  # noqa: S608
            "exit_reason, exit_where, team, comment, comment_hidden) "
            "SELECT r, %s, DATE '2025-01-01', 'web', s, '', '', '', '', FALSE "
            "FROM unnest(%s::uuid[], %s::smallint[]) AS t(r, s)",
            [wave.pk, ids, nps],
        )
        for question, column in zip(questions, columns, strict=True):
            given = [(i, v) for i, v in enumerate(column.answers) if v is not None]
            cursor.execute(
                f"INSERT INTO {answer_table} (id, response_id, wave_id, question_id, number, "  # noqa: S608
                "text) SELECT gen_random_uuid(), r, %s, %s, n, '' "
                "FROM unnest(%s::uuid[], %s::smallint[]) AS t(r, n)",
                [wave.pk, question.pk, [ids[i] for i, _v in given], [v for _i, v in given]],
            )
        cursor.execute(f"VACUUM ANALYZE {response_table}")
        cursor.execute(f"VACUUM ANALYZE {answer_table}")
    return wave


def main() -> int:
    if any(os.environ.get(name) != "1" for name in ONE_THREAD):
        env = {**os.environ, **ONE_THREAD}
        os.execve(sys.executable, [sys.executable, *sys.argv], env)  # noqa: S606 - ourselves
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        say("bench/drivers_worker.py needs DATABASE_URL on PostgreSQL: skipped")
        return 0
    responses = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ratings = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with ExitStack() as stack:
        environment = Environment(stack)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        stack.callback(connections.close_all)
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        wave = seed(responses, ratings)
        say(
            f"seeded {responses:,} responses × {ratings} ratings in "
            f"{time.perf_counter() - started:.0f} s"
        )

        from cxaudit.stats.drivers import Rating, key_drivers
        from surveys import services
        from surveys.models import DriverAnalysis
        from surveys.selectors.drivers import OUTCOME_SCALES, driver_inputs, driver_table

        inputs = driver_inputs(wave=wave)
        reads, computes, totals = [], [], []
        for _ in range(RUNS + 1):  # the first run warms up and is not counted
            DriverAnalysis.objects.filter(wave=wave).delete()
            analysis = DriverAnalysis.objects.create(
                wave=wave, outcome=inputs.outcome, basis=inputs.basis
            )
            total = time.perf_counter()
            status = services.driver_analysis_run(analysis_id=analysis.pk)
            totals.append(time.perf_counter() - total)
            read = time.perf_counter()
            table = driver_table(wave=wave, inputs=inputs)
            reads.append(time.perf_counter() - read)
            compute = time.perf_counter()
            key_drivers(
                outcome=table[:, 0],
                outcome_scale=OUTCOME_SCALES[inputs.outcome],
                ratings=[
                    Rating(key=str(j), answers=table[:, j + 1], scale=range(1, 6))
                    for j in range(ratings)
                ],
            )
            computes.append(time.perf_counter() - compute)
        result = DriverAnalysis.objects.get(wave=wave).result
        say(
            f"status {status}, n used {result['n']:,} of {result['n_total']:,}, "
            f"R² {result['r2']['shown']}%"
        )
        say("task in process, s: " + ", ".join(f"{t:.2f}" for t in totals[1:]))
        say("  of which the query, s: " + ", ".join(f"{t:.2f}" for t in reads[1:]))
        say("  of which key_drivers, s: " + ", ".join(f"{t:.2f}" for t in computes[1:]))

        start_worker(environment)
        DriverAnalysis.objects.filter(wave=wave).delete()
        queued = time.perf_counter()
        services.driver_analysis_request(wave=wave)  # no transaction: sent at once

        def done() -> bool:
            return DriverAnalysis.objects.filter(wave=wave, status="done").exists()

        wait_until(done, 120, "the worker to store the analysis", step=0.05)
        through_worker = time.perf_counter() - queued
        say(f"request → stored result through the Celery worker: {through_worker:.2f} s")
    best = min(totals[1:])
    met = best < GOAL_SECONDS and through_worker < GOAL_SECONDS
    say(
        f"best {best:.2f} s in process, {through_worker:.2f} s through the worker, "
        f"goal < {GOAL_SECONDS:.0f} s: {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
