"""`make bench`: our pages and jobs against baselines, side by side in one run.

It starts what it needs: a throwaway database (SQLite in a temporary folder, or a
``<name>_bench`` PostgreSQL database created and dropped here when DATABASE_URL is set),
gunicorn with production settings on a free 127.0.0.1 port, and a real ``celery worker``
(filesystem broker in the temporary folder, or REDIS_URL on its own queue). Each measure
interleaves batches of ours and the baseline, so both see the same machine state. It prints a
table and writes ``var/bench/latest.json``. Every load loop is bounded in count and time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, surveys  # noqa: E402
from bench.common import (  # noqa: E402
    GUNICORN_THREADS,
    GUNICORN_WORKERS,
    QUICK,
    Measure,
    check_statuses,
    interleave,
    session_client,
    warm,
)

OUT = ROOT / "var" / "bench" / "latest.json"
PYTHON = sys.executable
ONLY = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}


def say(text: str) -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------------------- environment


class Environment:
    """The bench's own database, variables and processes; everything is undone on exit."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.var_dir = Path(tempfile.mkdtemp(prefix="cxaudit-bench-"))
        stack.callback(shutil.rmtree, self.var_dir, ignore_errors=True)
        database_url = os.environ.get("DATABASE_URL", "")
        self.postgres = database_url.startswith(("postgres://", "postgresql://"))
        self.redis = bool(os.environ.get("REDIS_URL"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "CXAUDIT_ENV_FILE": "/nonexistent",
            "CXAUDIT_VAR_DIR": str(self.var_dir),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        if self.postgres:
            self.env["DATABASE_URL"] = self._create_database(database_url)
        else:
            self.env.pop("DATABASE_URL", None)
        os.environ.clear()
        os.environ.update(self.env)

    @property
    def database(self) -> str:
        return "PostgreSQL" if self.postgres else "SQLite"

    @property
    def broker(self) -> str:
        return "Redis" if self.redis else "filesystem"

    def _create_database(self, url: str) -> str:
        import psycopg

        parts = urlsplit(url)
        name = (parts.path.lstrip("/") or "cxaudit") + "_bench"
        admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.stack.callback(drop)
        return urlunsplit(parts._replace(path="/" + name))

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.var_dir / f"{name}.log", "w")  # noqa: SIM115 - closed on exit
        process = subprocess.Popen(
            args,
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def stop() -> None:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)
            log.close()

        self.stack.callback(stop)
        return process

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.var_dir / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def wait_until(condition, timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise RuntimeError(f"timed out waiting for {what}")


def start_gunicorn(environment: Environment) -> int:
    port = free_port()
    process = environment.start(
        "gunicorn",
        [
            PYTHON,
            "-m",
            "gunicorn",
            "cxaudit.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(GUNICORN_THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
    )

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + environment.log_tail("gunicorn"))
        try:
            client = load.Client(port)
            try:
                return client.request("GET", "/healthz").status == 200
            finally:
                client.close()
        except OSError:
            return False

    wait_until(healthy, 60, "gunicorn to answer /healthz", step=0.2)
    return port


def start_worker(environment: Environment) -> subprocess.Popen:
    process = environment.start(
        "worker",
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "cxaudit.celery",
            "worker",
            "--loglevel=info",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
    )

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError("celery worker exited:\n" + environment.log_tail("worker"))
        return "ready" in environment.log_tail("worker", 100_000)

    wait_until(ready, 90, "the celery worker to be ready", step=0.2)
    return process


# ----------------------------------------------------------------------------- helpers


# ----------------------------------------------------------------------------- 1. audit results


def count_queries(session_key: str, path: str) -> int:
    """How many SQL queries a request of ``path`` runs, served in this process once warm
    (the first request also reads the instrument documents to parse them)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_key
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    if status != 200:
        raise RuntimeError(f"{path} answered {status} in process")
    return len(captured)


def measure_results_page(port: int, site) -> Measure:
    measure = Measure(
        name="Audit results page p95 vs hello world",
        unit="ms",
        goal="ratio ≤ 4",
    )
    results_path = f"/audits/{site.results_audit_id}/results/"
    paths = {"ours": results_path, "baseline": "/bench/hello/"}
    collected = {"ours": load.LoadResult(), "baseline": load.LoadResult()}
    probe = session_client(port, site.session_key)
    first = probe.request("GET", results_path)
    probe.close()
    if first.status != 200:
        raise RuntimeError(f"results page answered {first.status}")
    per_batch = 10 if QUICK else 50

    def batch(side: str):
        def run() -> None:
            result = load.run_load(
                lambda _t: session_client(port, site.session_key),
                lambda client, _n: client.request("GET", paths[side]),
                concurrency=1,
                max_requests=per_batch,
                max_seconds=30,
            )
            check_statuses(result, {200}, paths[side])
            collected[side].merge(result)

        return run

    warm(port, site.session_key, list(paths.values()))
    interleave(2 if QUICK else 6, batch("ours"), batch("baseline"))
    queries = count_queries(site.session_key, results_path)
    ours = load.percentile(collected["ours"].latencies, 0.95) * 1000
    base = load.percentile(collected["baseline"].latencies, 0.95) * 1000
    measure.ours, measure.baseline = round(ours, 2), round(base, 2)
    measure.ratio = round(ours / base, 2)
    measure.judge(measure.ratio, 4.0)
    measure.detail = {
        "requests": {k: v.requests for k, v in collected.items()},
        "median_ms": {
            k: round(statistics.median(v.latencies) * 1000, 2) for k, v in collected.items()
        },
        "concurrency": 1,
        "items": site.results_items,
        "participants": 30,
        "answers": site.results_answers,
        "bytes": len(first.body),
        "queries": queries,
    }
    measure.note = (
        f"{site.results_items} items × 30 participants, {queries} queries a request; p95 of "
        f"{collected['ours'].requests} sequential requests each"
    )
    return measure


# ----------------------------------------------------------------------------- 4-5. reports


def reports_available() -> str:
    try:
        from cxaudit.reports import pdf, services
    except ImportError as error:
        return f"report jobs are not in the tree yet ({error})"
    for module, name in (
        (services, "audit_report_request"),
        (services, "report_html"),
        (pdf, "html_to_pdf"),
    ):
        if not hasattr(module, name):
            return f"cxaudit.reports has no {name} yet"
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("reports:audit-report", args=[1])
    except NoReverseMatch:
        return "no report request page (reports:audit-report) yet"
    return ""


def static_html(html: str, directory: Path) -> Path:
    """The report's HTML as a file WeasyPrint reads by itself: our internal URLs turned into
    file URLs of the same fonts and media."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    from cxaudit.reports.pdf import BASE_URL, tidy_whitespace

    font = Path(finders.find("fonts/DejaVuSans.ttf"))
    static_root = font.parent.parent
    html = tidy_whitespace(html)
    html = html.replace(BASE_URL + "static/", static_root.as_uri() + "/")
    html = html.replace(BASE_URL + "media/", Path(settings.MEDIA_ROOT).as_uri() + "/")
    path = directory / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def _pool_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def peak_rss_mib(pid: int) -> float:
    """The highest peak resident set (VmHWM) of a process and its children."""
    peak = 0
    for each in [pid, *_pool_pids(pid)]:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except FileNotFoundError:
            continue
    return peak / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def measure_reports(environment: Environment, port: int, site) -> list[Measure]:
    render = Measure(
        name="12-page audit PDF render vs static WeasyPrint (CPU time)",
        unit="s",
        goal="ratio ≤ 1.3",
    )
    memory = Measure(name="Report worker peak RSS", unit="MiB", goal="≤ 250 MiB")
    limit = 0.5 if environment.redis else 1.0
    latency = Measure(
        name=f"Click-to-ready minus render ({environment.broker} broker)",
        unit="s",
        goal=f"≤ {limit} s",
    )
    reason = reports_available()
    if reason:
        return [m.unavailable(f"not available: {reason}") for m in (render, memory, latency)]

    from weasyprint import HTML

    from cxaudit.reports import services
    from cxaudit.reports.models import ReportJob, ReportStatus

    worker = start_worker(environment)
    page = f"/audits/{site.report_audit_id}/report/"
    client = session_client(port, site.session_key)
    keys = ("render_cpu", "static_cpu", "render_wall", "static_wall", "overhead", "click")
    runs: dict[str, list[float]] = {key: [] for key in keys}
    pages = []
    static_path: list[Path] = []

    def click() -> None:
        csrf = client.csrf_form_token(page)[0]
        pool = _pool_pids(worker.pid)
        cpu_before = cpu_seconds(pool)
        clicked = time.time()
        reply = client.request("POST", page, form={"csrfmiddlewaretoken": csrf, "language": "en"})
        if reply.status != 302:
            raise RuntimeError(f"report request answered {reply.status}")
        job_id = int(reply.header("location").rstrip("/").rsplit("/", 1)[-1])

        def finished():
            row = (
                ReportJob.objects.filter(pk=job_id)
                .values("status", "started_at", "finished_at", "pages", "error_detail")
                .first()
            )
            done = (ReportStatus.DONE, ReportStatus.FAILED)
            return row if row and row["status"] in done else None

        row = wait_until(finished, 180, f"report job {job_id}", step=0.01)
        ready = time.time()
        if row["status"] != ReportStatus.DONE:
            raise RuntimeError(f"report job failed: {row['error_detail']}")
        if _pool_pids(worker.pid) != pool:
            raise RuntimeError("the worker's pool process changed during a render")
        rendered = (row["finished_at"] - row["started_at"]).total_seconds()
        runs["render_cpu"].append(cpu_seconds(pool) - cpu_before)
        runs["render_wall"].append(rendered)
        runs["click"].append(ready - clicked)
        runs["overhead"].append(ready - clicked - rendered)
        pages.append(row["pages"])
        if not static_path:
            job = ReportJob.objects.select_related("audit", "company").get(pk=job_id)
            static_path.append(static_html(services.report_html(job=job), environment.var_dir))

    def static() -> None:
        cpu, wall = time.process_time(), time.perf_counter()
        HTML(filename=str(static_path[0])).write_pdf()
        runs["static_cpu"].append(time.process_time() - cpu)
        runs["static_wall"].append(time.perf_counter() - wall)

    click()  # warm-up: imports and fonts in the worker's pool process, and in ours
    static()
    runs = {key: [] for key in keys}
    interleave(2 if QUICK else 4, click, static)
    client.close()

    def median(key: str) -> float:
        return statistics.median(runs[key])

    render.ours = round(median("render_cpu"), 3)
    render.baseline = round(median("static_cpu"), 3)
    render.ratio = round(render.ours / render.baseline, 3)
    render.judge(render.ratio, 1.3)
    render.detail = {
        "pages": pages,
        "wall_median": {"ours": median("render_wall"), "baseline": median("static_wall")},
        "runs": {key: [round(v, 3) for v in values] for key, values in runs.items()},
    }
    render.note = (
        f"{pages[-1]} pages; ours: CPU time of the worker's pool process from click to ready "
        f"(claim, data, HTML, PDF, file; wall {median('render_wall'):.2f} s); baseline: "
        f"HTML(filename).write_pdf() of the same HTML (wall {median('static_wall'):.2f} s). "
        "CPU time, because other work on the machine makes wall times swing ±50%"
    )

    memory.ours = round(peak_rss_mib(worker.pid), 1)
    memory.judge(memory.ours, 250.0)
    memory.note = "VmHWM of the worker's pool process after all renders (prefork, concurrency 1)"

    latency.ours = round(median("click"), 3)
    latency.baseline = round(median("render_wall"), 3)
    overhead = median("overhead")
    latency.judge(overhead, limit)
    latency.detail = {"overheads": [round(x, 3) for x in runs["overhead"]]}
    latency.note = (
        "ours: click to DONE visible; baseline: render time (claim to finish); value: the "
        f"median difference {overhead:.3f} s (we poll every 10 ms; the page's htmx poll adds "
        "its own interval)"
    )
    return [render, memory, latency]


# ----------------------------------------------------------------------------- output


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def table(measures: list[Measure], header: str) -> str:
    lines = [
        header,
        "",
        "| measure | ours | baseline | unit | ratio / value | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in measures:
        met = "—" if m.met is None else ("yes" if m.met else "**no**")
        shown = m.ratio if m.ratio is not None else m.value
        lines.append(
            f"| {m.name} | {fmt(m.ours)} | {fmt(m.baseline)} | {m.unit} | {fmt(shown)} "
            f"| {m.goal} | {met} |"
        )
    notes = [f"- {m.name}: {m.note}" for m in measures if m.note]
    return "\n".join([*lines, "", *notes])


def main() -> int:
    started = time.perf_counter()
    measures: list[Measure] = []
    with ExitStack() as stack:
        environment = Environment(stack)
        header = (
            f"make bench — {environment.database}, {environment.broker} broker, gunicorn "
            f"{GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads, "
            f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}"
        )
        say(header)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        stack.callback(connections.close_all)
        say("Preparing: migrate, collectstatic, seed…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_instruments", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from bench import seed

        seed.create_bench_table()
        site = seed.seed_site()
        say(f"  seeded in {time.perf_counter() - started:.0f} s; starting gunicorn")
        port = start_gunicorn(environment)
        steps = [
            ("results", "audit results page", lambda: [measure_results_page(port, site)]),
            ("submit", "survey submit", lambda: surveys.measure_submit(port, site)),
            (
                "survey-results",
                "survey results page",
                lambda: [surveys.measure_results_page(port, site)],
            ),
            ("reports", "report render", lambda: measure_reports(environment, port, site)),
        ]
        for key, title, step in steps:
            if ONLY and key not in ONLY:
                continue
            say(f"Measuring: {title}…")
            step_started = time.perf_counter()
            try:
                done = step()
            except Exception as error:
                traceback.print_exc()
                done = [
                    Measure(name=title, unit="", goal="").unavailable(
                        f"failed: {type(error).__name__}: {error}"
                    )
                ]
            for measure in done:
                verdict = {True: "met", False: "NOT met", None: measure.note}[measure.met]
                say(
                    f"  {measure.name}: {fmt(measure.ours)} vs {fmt(measure.baseline)} "
                    f"{measure.unit} → {fmt(measure.ratio or measure.value)} ({verdict})"
                )
            say(f"  ({time.perf_counter() - step_started:.0f} s)")
            measures.extend(done)
    elapsed = time.perf_counter() - started
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = [asdict(m) for m in measures]
    OUT.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    say("")
    say(table(measures, header))
    say(f"\nWrote {OUT.relative_to(ROOT)} in {elapsed:.0f} s.")
    return 1 if any(m.note.startswith("failed:") for m in measures) else 0


if __name__ == "__main__":
    sys.exit(main())
