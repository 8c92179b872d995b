"""Gaoxin benchmarks: run with `make bench` (PostgreSQL; not part of `make test`).

1. the statistics engine for a half-year, and the whole summary, at scale — median and p95 next
   to hand-written SQL computing the same figures (the ratio is the headline number);
2. list pages and API lists with filters — latency and query count;
3. throughput of main read and write endpoints under concurrent load (wrk, from a second
   process on loopback) against gunicorn, next to a minimal Django view on the same server;
4. memory (RSS) of a gunicorn worker after the load.

Writes bench/results.md (a markdown table with the machine's details) and prints it.
Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/gaoxin_bench),
BENCH_PROJECTS (default 100000), BENCH_SECONDS (wrk duration per endpoint, default 10),
BENCH_WORKERS (gunicorn sync workers, default one per core; wrk opens 2 connections per worker).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gaoxin_bench")
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
# One sync worker per core, as the issue measures; docs/deployment.md runs 2 × cores in production.
# Issue 18's floors, as a share of the minimal view's requests per second.
THROUGHPUT_GOALS = {
    "API: project list, filtered": 0.10,
    "API: project detail": 0.30,
    "API: record an engagement (write)": 0.10,
}
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
CONNECTIONS = 2 * WORKERS
SECRET = "bench-only-secret-key-" + "x" * 40

os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, str(ROOT))


def ensure_database() -> None:
    name = DB_URL.rsplit("/", 1)[1]
    base = DB_URL.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", base, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {name}"], check=True)


class QueryCounter:
    """Counts the queries run inside it (request signals cannot reset it, unlike
    connection.queries)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        self._cm.__exit__(*exc)

    def __len__(self):
        return self.count


def timed(fn, repeat: int = REPEAT) -> dict:
    fn()  # warm the caches and the connection
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
    }


RAW_ENTRIES = """
SELECT e.stage, COUNT(DISTINCT e.project_id)
FROM projects_stageevent e
LEFT JOIN projects_stagecorrection c ON c.event_id = e.id
WHERE c.id IS NULL AND e."on" BETWEEN %s AND %s
GROUP BY e.stage
"""
RAW_STOCK = """
SELECT s.stage, COUNT(*) FROM (
  SELECT DISTINCT ON (e.project_id) e.project_id, e.stage
  FROM projects_stageevent e
  LEFT JOIN projects_stagecorrection c ON c.event_id = e.id
  WHERE c.id IS NULL AND e."on" <= %s
  ORDER BY e.project_id, e."on" DESC, e.id DESC
) s GROUP BY s.stage
"""


RAW_ON_TIME = """
SELECT COUNT(*), COUNT(*) FILTER (WHERE s.first <= p.planned_start_on)
FROM projects_project p
LEFT JOIN (SELECT e.project_id, MIN(e."on") AS first FROM projects_stageevent e
           LEFT JOIN projects_stagecorrection c ON c.event_id = e.id
           WHERE c.id IS NULL AND e.stage = 'under_construction' GROUP BY e.project_id) s
       ON s.project_id = p.id
WHERE p.planned_start_on BETWEEN %s AND %s
"""
RAW_LANDED = """
WITH latest AS (
  SELECT DISTINCT ON (e.project_id) e.project_id, e.stage FROM projects_stageevent e
  LEFT JOIN projects_stagecorrection c ON c.event_id = e.id
  WHERE c.id IS NULL AND e."on" <= %s ORDER BY e.project_id, e."on" DESC, e.id DESC
), landed AS (
  SELECT project_id FROM latest
  WHERE stage IN ('under_construction', 'in_production', 'at_capacity')
)
SELECT (SELECT SUM(p.fixed_asset_investment) FROM projects_project p
        WHERE p.id IN (SELECT project_id FROM landed)),
       (SELECT SUM(m.amount) FROM projects_moneyentry m
        WHERE m.kind = 'investment_completed' AND m."on" <= %s
          AND m.project_id IN (SELECT project_id FROM landed)),
       %s
"""
RAW_FUNDS = """
SELECT SUM(amount) FROM projects_moneyentry
WHERE kind = 'funds_in_place' AND "on" BETWEEN %s AND %s
"""
RAW_TARGETS = "SELECT figure, value FROM projects_target WHERE year = %s"
RAW_TREND = """
SELECT date_trunc('month', e."on"), e.stage, COUNT(DISTINCT e.project_id)
FROM projects_stageevent e LEFT JOIN projects_stagecorrection c ON c.event_id = e.id
WHERE c.id IS NULL AND e."on" BETWEEN %s AND %s
  AND e.stage IN ('negotiating', 'signed', 'under_construction', 'in_production')
GROUP BY 1, 2
"""
RAW_CLUSTERS = """
SELECT p.cluster_id, e.stage, COUNT(DISTINCT e.project_id)
FROM projects_stageevent e JOIN projects_project p ON p.id = e.project_id
LEFT JOIN projects_stagecorrection c ON c.event_id = e.id
WHERE c.id IS NULL AND e."on" BETWEEN %s AND %s
GROUP BY 1, 2
"""
RAW_LIGHT_INPUTS = [
    """SELECT k.*, p.stage, p.planned_start_on FROM dispatch_keyproject k
       JOIN projects_project p ON p.id = k.project_id WHERE k.year = %s""",
    """SELECT m.* FROM dispatch_milestone m JOIN dispatch_keyproject k ON k.id = m.key_project_id
       WHERE k.year = %s""",
    """SELECT s.* FROM dispatch_servicematter s JOIN dispatch_keyproject k
       ON k.id = s.key_project_id WHERE k.year = %s""",
    """SELECT pr.*, n.* FROM dispatch_problem pr JOIN dispatch_keyproject k
       ON k.project_id = pr.project_id LEFT JOIN dispatch_supervision n ON n.problem_id = pr.id
       WHERE k.year = %s""",
    """SELECT t.* FROM dispatch_decisiontask t JOIN dispatch_keyproject k
       ON k.id = t.key_project_id WHERE k.year = %s""",
]
RAW_PROBLEMS = """
SELECT COUNT(*), COUNT(*) FILTER (WHERE deadline < %s) FROM dispatch_problem
WHERE state IN ('submitted', 'accepted', 'in_progress', 'reopened')
"""


def bench_statistics() -> list[dict]:
    from django.db import connection

    from gaoxin.projects import stats

    today = dt.date.today()
    year = today.year if today.month > 6 else today.year - 1
    period = stats.Period(dt.date(year, 1, 1), dt.date(year, 6, 30))

    def raw_entries():
        with connection.cursor() as cur:
            cur.execute(RAW_ENTRIES, [period.start, period.end])
            return dict(cur.fetchall())

    def raw_stock():
        with connection.cursor() as cur:
            cur.execute(RAW_STOCK, [period.end])
            return dict(cur.fetchall())

    earlier = period.year_earlier()

    def raw_summary():
        # Every figure of the summary by hand, as a person would write them: entries now and a
        # year earlier, entries per cluster, stock at both ends, on-time starts, the landed
        # projects' planned and completed investment, funds in place, the targets.
        out = {}
        with connection.cursor() as cur:
            for name, sql, params in [
                ("entries", RAW_ENTRIES, [period.start, period.end]),
                ("entries_base", RAW_ENTRIES, [earlier.start, earlier.end]),
                ("clusters", RAW_CLUSTERS, [period.start, period.end]),
                ("stock", RAW_STOCK, [period.end]),
                ("stock_base", RAW_STOCK, [earlier.end]),
                ("on_time", RAW_ON_TIME, [period.start, period.end]),
                ("landed", RAW_LANDED, [period.end, period.end, 0]),
                ("funds", RAW_FUNDS, [period.start, period.end]),
                ("targets", RAW_TARGETS, [period.end.year]),
            ]:
                cur.execute(sql, params)
                out[name] = cur.fetchall()
        return out

    def check_summary():
        """The engine's summary equals the raw SQL on every figure it times."""
        engine, raw = stats.summary(period, today=period.end), raw_summary()

        def nonzero(d):
            return {k: v for k, v in d.items() if v}

        assert nonzero({s: c.value for s, c in engine.entries.items()}) == dict(raw["entries"])
        assert nonzero({s: c.base for s, c in engine.entries.items()}) == dict(raw["entries_base"])
        assert nonzero(engine.stock) == dict(raw["stock"])
        assert engine.in_register.base == sum(n for s, n in raw["stock_base"] if s != "dropped")
        clusters = {(r["key"], r["stage"]): r["projects"] for r in engine.breakdown}
        assert clusters == {(k, s): n for k, s, n in raw["clusters"]}
        due, kept = raw["on_time"][0]
        assert (engine.rates.on_time_start_base, engine.rates.on_time_start_kept) == (due, kept)
        fixed, done, _zero = raw["landed"][0]
        assert engine.rates.landed_fixed == (fixed or 0)
        assert engine.rates.landed_done == (done or 0)
        assert engine.rates.funds_in_place == (raw["funds"][0][0] or 0)
        assert {t.figure: t.target for t in engine.targets} == dict(raw["targets"])

    check_summary()
    engine_entries = stats.entries(period)
    assert {k: v for k, v in engine_entries.items() if v} == raw_entries(), "entries differ"
    engine_stock = stats.stock(period.end)
    assert {k: v for k, v in engine_stock.items() if v} == raw_stock(), "stock differs"

    from django.core.cache import cache

    from gaoxin.cockpit import selectors as cockpit

    def raw_cockpit():
        # The cockpit's register figures by hand: the summary's, the month-by-month and
        # per-cluster entries, open and overdue problems (the lights, computed per milestone
        # in Python, have no single-statement equivalent and are left out of this side).
        raw_summary()
        with connection.cursor() as cur:
            for sql in (RAW_TREND, RAW_CLUSTERS):
                cur.execute(sql, [period.start, period.end])
                cur.fetchall()
            cur.execute(RAW_PROBLEMS, [dt.date.today()])
            cur.fetchall()
            # The lights' inputs, read by hand: the year's key projects with their milestones,
            # service matters, problems, supervision notices and meeting tasks.
            for sql in RAW_LIGHT_INPUTS:
                cur.execute(sql, [period.end.year])
                cur.fetchall()

    def cockpit_cold():
        cache.clear()
        return cockpit.cockpit(period)

    rows = []
    for name, engine, raw in [
        ("entries, half-year", lambda: stats.entries(period), raw_entries),
        ("stock on a date", lambda: stats.stock(period.end), raw_stock),
        (
            "summary (all figures + YoY + rates + clusters)",
            lambda: stats.summary(period, today=period.end),
            raw_summary,
        ),
        ("cockpit, computed (summary + trend + clusters + lights)", cockpit_cold, raw_cockpit),
        ("cockpit, cached (the data stamp only)", lambda: cockpit.cockpit(period), raw_cockpit),
    ]:
        with QueryCounter() as ctx:
            engine()
        e, r = timed(engine), timed(raw)
        rows.append(
            {
                "what": name,
                "engine_ms": e,
                "raw_ms": r,
                "queries": len(ctx),
                "ratio": e["median"] / r["median"] if r["median"] else float("nan"),
            }
        )
    return rows


def bench_lists(user) -> list[dict]:
    from django.test import Client

    from gaoxin.accounts.services import api_token_create

    client = Client()
    client.force_login(user)
    # The bench admin would be held at the second factor: give it, as the tests do.
    from tests.second_factor import verify_second_factor

    verify_second_factor(client.session, user)
    _token, raw = api_token_create(user=user, name="bench")
    year = dt.date.today().year
    rows = []
    for name, url, headers in [
        ("page: project list", "/projects/?stage=signed&cluster=1", {}),
        ("page: project list, text search", "/projects/?q=0001", {}),
        ("page: statistics half-year", f"/projects/statistics/?year={year}&span=h1", {}),
        ("page: enterprise list", "/enterprises/?q=生成企业00", {}),
        ("page: service cases", "/affairs/applications/?state=under_review", {}),
        (
            "page: service statistics year, per window",
            f"/affairs/statistics/?year={year}&span=year&by=window",
            {},
        ),
        ("page: appointments, all", "/affairs/appointments/?show=all", {}),
        (
            "API: project list, filtered",
            "/api/v1/projects/?stage=negotiating&channel=event",
            {"Authorization": f"Bearer {raw}"},
        ),
        (
            "API: statistics half-year",
            f"/api/v1/projects/statistics?start={year}-01-01&end={year}-06-30",
            {"Authorization": f"Bearer {raw}"},
        ),
    ]:
        with QueryCounter() as ctx:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        timing = timed(lambda u=url, h=headers: client.get(u, headers=h), repeat=7)
        rows.append({"what": name, "ms": timing, "queries": len(ctx)})
    return rows


def run_wrk(url: str, headers: dict, script: str | None = None) -> dict:
    # Connections = 2 per worker: enough to keep every worker busy without a queue so long
    # that slow endpoints only measure wrk's timeout.
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "30s", "--latency"]
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], capture_output=True, text=True, timeout=SECONDS + 60)
    text = out.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(\w+)", text)
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    timeouts = re.search(r"timeout (\d+)", text)
    return {
        "rps": rps,
        "p50": _ms(p50),
        "p99": _ms(p99),
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (int(timeouts.group(1)) if timeouts else 0),
    }


def _ms(match) -> float:
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1, "s": 1000}.get(unit, 1)


def bench_throughput(user) -> tuple[list[dict], dict]:
    from gaoxin.accounts.services import api_token_create
    from gaoxin.projects.models import Project

    if not shutil.which("wrk"):
        return [], {"skipped": "wrk is not installed (apt-get install wrk)"}
    _token, raw = api_token_create(user=user, name="bench-wrk")
    project_id = Project.objects.order_by("pk").values_list("pk", flat=True).first()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    workers = WORKERS
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gaoxin.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{base}/bench/minimal/", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        auth = {"Authorization": f"Bearer {raw}"}
        script = ROOT / "bench" / "post_engagement.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            'wrk.body = \'{"kind": "call", "on": "'
            + dt.date.today().isoformat()
            + '", "summary": "bench"}\'\n'
        )
        year = dt.date.today().year
        rows = []
        for name, path, headers, lua in [
            ("minimal Django view (ceiling)", "/bench/minimal/", {}, None),
            ("API: project list, filtered", "/api/v1/projects/?stage=negotiating", auth, None),
            ("API: project detail", f"/api/v1/projects/{project_id}", auth, None),
            (
                "API: statistics half-year",
                f"/api/v1/projects/statistics?start={year}-01-01&end={year}-06-30",
                auth,
                None,
            ),
            (
                "API: record an engagement (write)",
                f"/api/v1/projects/{project_id}/engagements",
                auth,
                str(script),
            ),
        ]:
            result = run_wrk(base + path, headers, lua)
            rows.append({"what": name, **result})
            time.sleep(2)  # let the workers drain before the next endpoint
        memory = _worker_memory(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        (ROOT / "bench" / "post_engagement.lua").unlink(missing_ok=True)
    ceiling = rows[0]["rps"] or 1
    for row in rows:
        row["vs_ceiling"] = row["rps"] / ceiling
    return rows, {"workers": workers, **memory}


def _worker_memory(master_pid: int) -> dict:
    rss = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            rss.append(int(re.search(r"^VmRSS:\s+(\d+)", text, re.M).group(1)) / 1024)
    return {"worker_rss_mb": max(rss) if rss else None, "workers_seen": len(rss)}


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError, AttributeError):
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    pg = subprocess.run(
        ["psql", DB_URL, "-tAc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem) / 1024 / 1024),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def report(counts, stat_rows, list_rows, wrk_rows, wrk_info, info, dates=None) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"{info['date']} · {info['cpu']} · {info['cores']} cores · {info['memory_gb']} GB · "
        f"Python {info['python']} · Django {info['django']} · PostgreSQL {info['postgresql']}",
        "",
    ]
    if dates:
        # A partial run (``run.py throughput``): say when each part was measured.
        lines += [
            "Parts run separately: "
            + "; ".join(f"{part} {dates.get(part, 'from an earlier full run')}" for part in PARTS)
            + ".",
            "",
        ]
    lines += [
        f"Data: {counts['projects']:,} projects, {counts['events']:,} stage events, "
        f"{counts['engagements']:,} engagements, {counts['money']:,} money entries "
        f"({counts['all']:,} timeline records).",
        "",
        "## Statistics engine vs hand-written SQL (same figures, checked equal)",
        "",
        "| figure | engine median ms | engine p95 ms | raw SQL median ms | ratio | queries |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in stat_rows:
        lines.append(
            f"| {r['what']} | {r['engine_ms']['median']:.1f} | "
            f"{r['engine_ms']['p95']:.1f} | {r['raw_ms']['median']:.1f} | "
            f"{r['ratio']:.2f}× | {r['queries']} |"
        )
    summary_ms = next(
        (r["engine_ms"]["median"] for r in stat_rows if r["what"].startswith("summary")), None
    )
    page_ms = next(
        (r["ms"]["median"] for r in list_rows if r["what"].startswith("page: statistics")), None
    )
    if summary_ms and page_ms:
        lines += [
            "",
            f"Statistics page ÷ the summary it shows: {page_ms:.1f} ÷ {summary_ms:.1f} ms = "
            f"**{page_ms / summary_ms:.2f}×**.",
        ]
    lines += [
        "",
        "## Lists and pages (in-process, one user)",
        "",
        "| request | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
    ]
    for r in list_rows:
        lines.append(
            f"| {r['what']} | {r['ms']['median']:.1f} | {r['ms']['p95']:.1f} | {r['queries']} |"
        )
    lines += [
        "",
        f"## Throughput under load (gunicorn, wrk 2 threads × {CONNECTIONS} connections, "
        f"{SECONDS}s each)",
        "",
        f"Load average at the end of the run (1, 5, 15 min): {info.get('load', '')}.",
        "",
    ]
    if wrk_rows:
        lines += [
            f"{wrk_info['workers']} gunicorn workers; worker RSS after load: "
            f"{wrk_info['worker_rss_mb']:.0f} MB.",
            "",
            "| endpoint | req/s | vs minimal view | goal (issue 18) | p50 ms | p99 ms "
            "| errors + timeouts |",
            "|---|---:|---:|---|---:|---:|---:|",
        ]
        for r in wrk_rows:
            goal = THROUGHPUT_GOALS.get(r["what"])
            verdict = (
                f"≥ {goal:.0%} {'met' if r['vs_ceiling'] >= goal else 'NOT met'}" if goal else ""
            )
            lines.append(
                f"| {r['what']} | {r['rps']:.0f} | {r['vs_ceiling']:.1%} | {verdict} | "
                f"{r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |"
            )
    else:
        lines.append(wrk_info.get("skipped", ""))
    return "\n".join(lines) + "\n"


PARTS = ("statistics", "lists", "throughput")


def parse_parts(argv: list[str]) -> tuple[str, ...]:
    """``run.py`` runs every part; ``run.py throughput`` (or ``statistics``, ``lists``, several)
    runs those alone and keeps the other parts' figures from the last bench/results.json."""
    unknown = [a for a in argv if a not in PARTS]
    if unknown:
        sys.exit(f"unknown part {', '.join(unknown)}; parts: {', '.join(PARTS)}")
    return tuple(argv) or PARTS


def main(argv: list[str]) -> None:
    parts = parse_parts(argv)
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    from gaoxin.accounts.models import Role, User
    from gaoxin.projects.models import Engagement, MoneyEntry, Project, StageEvent

    call_command("migrate", verbosity=0)
    from gaoxin.affairs.models import Application
    from gaoxin.talent.models import Talent

    # Regenerate when the data predates a module the benchmark reads.
    if Project.objects.count() < PROJECTS or not (
        Application.objects.exists() and Talent.objects.exists()
    ):
        print(f"Generating {PROJECTS:,} projects (once; kept in {DB_URL.rsplit('/', 1)[1]}) …")
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        call_command("generate_data", projects=PROJECTS, seed=1)
        subprocess.run(["psql", DB_URL, "-qc", "VACUUM ANALYZE"], check=True)
    user, _c = User.objects.get_or_create(
        username="bench_admin", defaults={"role": Role.ADMIN, "is_staff": True}
    )
    counts = {
        "projects": Project.objects.count(),
        "events": StageEvent.objects.count(),
        "engagements": Engagement.objects.count(),
        "money": MoneyEntry.objects.count(),
    }
    counts["all"] = counts["events"] + counts["engagements"] + counts["money"]
    results_json = ROOT / "bench" / "results.json"
    kept = json.loads(results_json.read_text()) if parts != PARTS else {}
    results = {"counts": counts, "dates": kept.get("dates", {})}
    if "statistics" in parts:
        print("statistics …")
        results["statistics"] = bench_statistics()
    if "lists" in parts:
        print("lists …")
        results["lists"] = bench_lists(user)
    if "throughput" in parts:
        print("throughput …")
        results["throughput"], results["server"] = bench_throughput(user)
    info = machine()
    for part in PARTS:
        if part in parts:
            results["dates"][part] = f"{info['date']} (load {info['load']})"
        else:
            results[part] = kept.get(part, [])
            if part == "throughput":
                results["server"] = kept.get("server", {})
    text = report(
        counts,
        results["statistics"],
        results["lists"],
        results["throughput"],
        results["server"],
        info,
        results["dates"] if parts != PARTS else None,
    )
    (ROOT / "bench" / "results.md").write_text(text)
    results_json.write_text(json.dumps(results, indent=1, default=str))
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
