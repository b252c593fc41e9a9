"""Data for `make bench`, made through the site's own services (bulk rows where a service
would take minutes: answers, and the million survey responses on PostgreSQL)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction
from django.utils import timezone

RESULTS_INSTRUMENTS = [
    "service-sales-level",
    "cx-understanding",
    "golding-cx-framework",
    "service-elements",
    "ten-ways",
    "metric-practice",
    "strategy-canvas",
]
PARTICIPANTS = 30
REPORT_TEMPLATE = "quick-self-check"  # a comment on every third item: 12 pages in English
REPORT_COMMENT = "Проверено на месте."
BENCH_TABLE = "bench_row"
EXTRA_SECTIONS, EXTRA_ITEMS = 4, 24  # a consultancy's own checklist: 105 built-in + 96 items


def extra_instrument_yaml() -> str:
    """A consultancy's private checklist, to bring the results audit to ~200 items."""
    lines = [
        "key: bench-service-standards",
        "version: 1",
        "kind: checklist",
        'title: {ru: "Стандарты сервиса (нагрузочный тест)", en: "Service standards (bench)"}',
        'description: {ru: "Стандарты смены.", en: "Shift standards."}',
        'source: "bench"',
        "sections:",
    ]
    for s in range(EXTRA_SECTIONS):
        lines += [
            f"  - key: area-{s}",
            f'    title: {{ru: "Область {s}", en: "Area {s}"}}',
            "    items:",
        ]
        for i in range(EXTRA_ITEMS):
            lines += [
                f"      - key: standard-{s}-{i}",
                f'        text: {{ru: "Стандарт {s}.{i} соблюдается в каждой смене.", '
                f'en: "Standard {s}.{i} is kept on every shift."}}',
                '        guidance: {ru: "Проверьте на месте.", en: "Check on site."}',
                "        scale: likert-5",
                "        rules: [{rule: standards-missing, at_most: 2}]",
            ]
    return "\n".join(lines) + "\n"


@dataclass
class Site:
    consultant_id: int
    session_key: str
    results_audit_id: int
    results_items: int
    results_answers: int
    report_audit_id: int
    wave_token: str
    big_survey_id: int | None = None
    big_wave_id: int | None = None


def create_bench_table() -> None:
    """The baseline insert view's table: an id, a unique token, a day and a number."""
    if connection.vendor == "postgresql":
        ddl = (
            f"CREATE TABLE {BENCH_TABLE} (id bigserial PRIMARY KEY, "
            "token varchar(64) NOT NULL UNIQUE, created_on date NOT NULL, value integer)"
        )
    else:
        ddl = (
            f"CREATE TABLE {BENCH_TABLE} (id integer PRIMARY KEY AUTOINCREMENT, "
            "token varchar(64) NOT NULL UNIQUE, created_on date NOT NULL, value integer)"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BENCH_TABLE}")
        cursor.execute(ddl)


def session_for(user) -> str:
    """A logged-in session for ``user``, made the way ``django.contrib.auth.login`` does."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _people():
    from cxaudit.accounts.models import Membership, Organisation, OrganisationKind, Role, User

    consultancy = Organisation.objects.create(
        kind=OrganisationKind.CONSULTANCY, name="Сервис-Консалтинг"
    )
    company = Organisation.objects.create(
        kind=OrganisationKind.COMPANY, name="Кофейня «Зерно»", parent=consultancy
    )
    consultant = User.objects.create_user(
        email="consultant@bench.local", full_name="Анна Консультант", password=None
    )
    Membership.objects.create(user=consultant, organisation=consultancy, role=Role.CONSULTANT)
    staff = []
    for n in range(PARTICIPANTS - 1):
        user = User.objects.create_user(
            email=f"staff{n}@bench.local", full_name=f"Сотрудник {n}", password=None
        )
        Membership.objects.create(user=user, organisation=company, role=Role.STAFF)
        staff.append(user)
    return company, consultant, staff


def _answers(audit, participants, *, comment: str = "", comment_every: int = 2) -> int:
    """Every item answered by every participant, with a spread of values, in bulk."""
    from assessments.models import Answer

    rows = []
    instruments = list(audit.instruments.select_related("version"))
    for p_index, participant in enumerate(participants):
        for ai in instruments:
            for i_index, (_section, item) in enumerate(ai.version.parsed.items()):
                value, text = None, ""
                if item.raw_range:
                    low, high = item.raw_range
                    value = low + (p_index + i_index) % (high - low + 1)
                else:
                    text = "Гость приходит за спокойным утром и хорошим кофе."
                rows.append(
                    Answer(
                        participant=participant,
                        audit_instrument=ai,
                        item_key=item.key,
                        value=value,
                        text=text,
                        comment=comment if i_index % comment_every == 0 else "",
                    )
                )
    Answer.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def seed_site() -> Site:
    from assessments.models import Participant, ParticipantKind
    from assessments.services import audits, library
    from surveys import services as surveys

    company, consultant, staff = _people()
    extra = library.instrument_upload(
        consultancy=company.parent,
        text=extra_instrument_yaml(),
        filename="bench-service-standards.yaml",
        by=consultant,
    )[0]
    period = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))

    results_audit = audits.audit_create(
        company=company,
        by=consultant,
        by_role="consultant",
        title="Аудит сервиса: 30 участников",
        period_start=period[0],
        period_end=period[1],
        instrument_keys=[*RESULTS_INSTRUMENTS, extra.instrument.key],
    )
    participants = [results_audit.participants.get(kind=ParticipantKind.ASSESSOR)]
    participants += Participant.objects.bulk_create(
        Participant(audit=results_audit, user=user, email=user.email, kind=ParticipantKind.STAFF)
        for user in staff
    )
    answers = _answers(results_audit, participants)
    items = sum(
        len(list(ai.version.parsed.items()))
        for ai in results_audit.instruments.select_related("version")
    )

    report_audit = audits.audit_create(
        company=company,
        by=consultant,
        by_role="consultant",
        title="Аудит сервиса 2026",
        period_start=period[0],
        period_end=period[1],
        instrument_keys=[REPORT_TEMPLATE],
        template_key=REPORT_TEMPLATE,
    )
    _answers(
        report_audit,
        [report_audit.participants.get(kind=ParticipantKind.ASSESSOR)],
        comment=REPORT_COMMENT,
        comment_every=3,
    )
    _recommendations(report_audit, consultant)

    survey = surveys.survey_create(
        company=company,
        title="Гости кофейни",
        audience="customer",
        blocks=["nps", "csat"],
        by=consultant,
    )
    today = timezone.localdate()
    wave = surveys.wave_create(
        survey=survey,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    return Site(
        consultant_id=consultant.pk,
        session_key=session_for(consultant),
        results_audit_id=results_audit.pk,
        results_items=items,
        results_answers=answers,
        report_audit_id=report_audit.pk,
        wave_token=wave.token,
    )


def _recommendations(audit, consultant) -> None:
    """What the rule engine proposes, accepted, so the report has its plan chapters."""
    try:
        from assessments.services import plan
    except ImportError:  # the action plan is not in the tree yet
        return
    refresh = getattr(plan, "recommendations_refresh", None)
    if refresh is not None:
        refresh(audit=audit, by=consultant)


def seed_big_wave(site: Site, responses: int) -> tuple[int, int]:
    """A closed wave with ``responses`` answers made by one INSERT … SELECT (of
    ``generate_series`` on PostgreSQL, of a recursive CTE on SQLite)."""
    from cxaudit.accounts.models import User
    from surveys import services as surveys
    from surveys.models import Response, Survey

    consultant = User.objects.get(pk=site.consultant_id)
    company = Survey.objects.filter(created_by=consultant).first().company
    survey = surveys.survey_create(
        company=company,
        title="Большая волна",
        audience="customer",
        blocks=["nps", "csat"],
        by=consultant,
    )
    wave = surveys.wave_create(
        survey=survey, opens_on=datetime.date(2025, 1, 1), closes_on=datetime.date(2025, 3, 31)
    )
    columns = (
        "id, wave_id, channel_id, submitted_on, source, nps, csat, ces, enps, state_at_work, "
        "process_ease, exit_reason, exit_where, team, comment, comment_hidden"
    )
    values = (
        "{id}, %s, NULL, {day}, 'web', (i * 7) %% 11, 1 + (i * 3) %% 5, NULL, NULL, NULL, "
        "NULL, '', '', '', CASE WHEN i %% 10 = 0 THEN 'Быстро и вежливо' ELSE '' END, FALSE"
    )
    if connection.vendor == "postgresql":
        rows = "FROM generate_series(1, %s) AS i"
        values = values.format(id="gen_random_uuid()", day="DATE '2025-01-01' + (i %% 90)")
        prefix = ""
    else:  # SQLite: a recursive CTE counts; UUIDs are stored as 32 hex digits
        prefix = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
        rows = "FROM n"
        values = values.format(
            id="lower(hex(randomblob(16)))", day="date('2025-01-01', '+' || (i %% 90) || ' days')"
        )
    table = Response._meta.db_table
    sql = f"{prefix}INSERT INTO {table} ({columns}) SELECT {values} {rows}"
    params = [wave.pk, responses] if connection.vendor == "postgresql" else [responses, wave.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return survey.pk, wave.pk


def vacuum_analyze() -> None:
    """What the planner needs to know about the big table (ANALYZE alone on SQLite)."""
    from surveys.models import Response

    table = Response._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"{'VACUUM ' if connection.vendor == 'postgresql' else ''}ANALYZE {table}")
