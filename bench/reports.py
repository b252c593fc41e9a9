"""Measures 4-6: the 12-page PDF report against static WeasyPrint, the same report as a
Word document against the PDF, worker memory, click-to-ready."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from bench.common import (
    QUICK,
    Measure,
    interleave,
    session_client,
)
from bench.harness import Environment, start_worker, wait_until

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
    word = Measure(
        name="12-page audit report as Word (.docx) vs the same report's PDF (CPU time)",
        unit="s",
        goal="ratio ≤ 1.0",
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
        measures = (render, word, memory, latency)
        return [m.unavailable(f"not available: {reason}") for m in measures]

    from weasyprint import HTML

    from cxaudit.reports import services
    from cxaudit.reports.models import ReportJob, ReportStatus

    worker = start_worker(environment)
    page = f"/audits/{site.report_audit_id}/report/"
    client = session_client(port, site.session_key)
    keys = (
        "render_cpu",
        "static_cpu",
        "render_wall",
        "static_wall",
        "overhead",
        "click",
        "docx_cpu",
        "docx_wall",
    )
    runs: dict[str, list[float]] = {key: [] for key in keys}
    pages = []
    static_path: list[Path] = []

    def click(kind: str = "pdf") -> None:
        csrf = client.csrf_form_token(page)[0]
        pool = _pool_pids(worker.pid)
        cpu_before = cpu_seconds(pool)
        clicked = time.time()
        form = {"csrfmiddlewaretoken": csrf, "language": "en", "format": kind}
        reply = client.request("POST", page, form=form)
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
        if kind == "docx":
            runs["docx_cpu"].append(cpu_seconds(pool) - cpu_before)
            runs["docx_wall"].append(rendered)
            return
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

    def docx() -> None:
        click("docx")

    click()  # warm-up: imports and fonts in the worker's pool process, and in ours
    static()
    docx()
    runs = {key: [] for key in keys}
    interleave(2 if QUICK else 4, click, static)
    interleave(2 if QUICK else 4, docx, click)
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

    word.ours = round(median("docx_cpu"), 3)
    word.baseline = render.ours
    word.ratio = round(word.ours / word.baseline, 3)
    word.judge(word.ratio, 1.0)
    word.detail = {
        "wall_median": {"ours": median("docx_wall"), "baseline": median("render_wall")},
        "runs": {key: [round(v, 3) for v in runs[key]] for key in ("docx_cpu", "render_cpu")},
    }
    word.note = (
        "ours: CPU time of the worker's pool process from click to ready for the Word "
        f"document (claim, data, charts as PNG, document, file; wall {median('docx_wall'):.2f} "
        "s); baseline: the PDF of the same report in the same run, clicks interleaved"
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
    return [render, word, memory, latency]
