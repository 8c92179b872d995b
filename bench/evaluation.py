"""Bench: the yearly per-mu evaluation (亩均效益评价) of 20,000 enterprises on PostgreSQL.

Run: `.venv/bin/python bench/evaluation.py` (or `make bench`, which runs it after run.py).
The first run creates BENCH_EVALUATION_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/gaoxin_bench_evaluation), migrates it and generates
BENCH_ENTERPRISES (20,000) enterprises, each with a producing project and 12 ledger months of
the year (240,000 entries); four in five hold a quarter of a shared plot (recorded shares), one
in five a leased unit. It then times ``services.evaluation_compute`` — the whole draft: the
engine's queries, scoring, writing every enterprise's score and the audit entry — and the
engine alone, as medians of BENCH_EVALUATION_REPEAT (5) runs. The goal is ≤ 3 s.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get(
    "BENCH_EVALUATION_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/gaoxin_bench_evaluation",
)
ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "20000"))
REPEAT = int(os.environ.get("BENCH_EVALUATION_REPEAT", "5"))
YEAR = 2025
GOAL_SECONDS = 3.0

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


def generate(admin) -> None:
    from gaoxin.cockpit.models import Plot
    from gaoxin.delivery.models import LandShare
    from gaoxin.dispatch.models import LedgerEntry
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.projects.models import Project, Stage, StageEvent
    from gaoxin.spaces.models import Building, Lease, Unit

    if Enterprise.objects.filter(name__startswith="亩均基准企业").count() >= ENTERPRISES:
        return
    print(f"generating {ENTERPRISES} enterprises …", flush=True)
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(name=f"亩均基准企业{n:05d}有限公司", uscc=f"91371100MA{n:08d}")
            for n in range(ENTERPRISES)
        ],
        batch_size=5000,
    )
    projects = Project.objects.bulk_create(
        [
            Project(name=f"基准项目{n:05d}", enterprise=e, stage=Stage.AT_CAPACITY)
            for n, e in enumerate(enterprises)
        ],
        batch_size=5000,
    )
    StageEvent.objects.bulk_create(
        [
            StageEvent(project=p, stage=Stage.IN_PRODUCTION, on=dt.date(2019 + n % 7, 3, 1))
            for n, p in enumerate(projects)
        ],
        batch_size=5000,
    )
    entries = []
    for n, p in enumerate(projects):
        for m in range(1, 13):
            if n % 97 == 0 and m == 6:
                continue  # a few with a month missing
            base = Decimal(200 + n % 800)
            entries.append(
                LedgerEntry(
                    project=p,
                    month=dt.date(YEAR, m, 1),
                    output_value=base,
                    tax=base * Decimal("0.06"),
                    employees=50 + n % 300,
                    energy_tce=base / 3,
                    rd_spending=base * Decimal("0.025"),
                    entered_by=admin,
                )
            )
        if len(entries) >= 60000:
            LedgerEntry.objects.bulk_create(entries, batch_size=10000)
            entries = []
    LedgerEntry.objects.bulk_create(entries, batch_size=10000)
    shared = ENTERPRISES * 4 // 5
    plots = Plot.objects.bulk_create(
        [
            Plot(code=f"BM-{n:05d}", name=f"基准地块{n:05d}", area_mu=Decimal(40 + n % 60))
            for n in range(shared // 4)
        ],
        batch_size=5000,
    )
    LandShare.objects.bulk_create(
        [
            LandShare(plot=plots[n // 4], enterprise=enterprises[n], percent=Decimal(25))
            for n in range(shared)
        ],
        batch_size=10000,
    )
    building = Building.objects.create(name="基准厂房", kind="factory")
    units = Unit.objects.bulk_create(
        [
            Unit(building=building, number=f"U{n:05d}", area_m2=Decimal(2000 + n % 5000))
            for n in range(ENTERPRISES - shared)
        ],
        batch_size=5000,
    )
    Lease.objects.bulk_create(
        [
            Lease(
                unit=u,
                enterprise=enterprises[shared + n],
                starts_on=dt.date(2023, 1, 1),
                ends_on=dt.date(2027, 12, 31),
                rent_m2_month=Decimal(12),
            )
            for n, u in enumerate(units)
        ],
        batch_size=5000,
    )


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from gaoxin.accounts.models import Role, User
    from gaoxin.delivery import scoring, services
    from gaoxin.delivery.models import EvaluationYear

    call_command("migrate", verbosity=0)
    admin, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"role": Role.ADMIN, "is_superuser": True}
    )
    generate(admin)
    services.evaluation_year_defaults(year=YEAR, by=admin)
    rules = scoring.rules_for(EvaluationYear.objects.get(year=YEAR))
    connection.cursor().execute("ANALYZE")

    def run(fn) -> tuple[float, float, int]:
        fn()  # warm
        samples, queries = [], 0
        for _ in range(REPEAT):
            counted = []

            def count(execute, sql, params, many, context, counted=counted):
                counted.append(1)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                start = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - start)
            queries = len(counted)
        return statistics.median(samples), max(samples), queries

    engine = run(lambda: scoring.evaluate(YEAR, rules))
    whole = run(lambda: services.evaluation_compute(year=YEAR, by=admin))
    evaluation = services.evaluation_compute(year=YEAR, by=admin)
    counts = dict(evaluation.scores.values_list("klass").annotate(n=Count("id")))
    lines = [
        f"Per-mu evaluation of {ENTERPRISES:,} enterprises ({YEAR}), PostgreSQL, "
        f"median of {REPEAT}:",
        f"  engine (collect + score): {engine[0]:.2f} s (max {engine[1]:.2f} s), "
        f"{engine[2]} queries",
        f"  whole draft (engine + {ENTERPRISES:,} scores written + audit): "
        f"{whole[0]:.2f} s (max {whole[1]:.2f} s), {whole[2]} queries",
        f"  classes: {dict(sorted(counts.items()))}",
        f"  goal ≤ {GOAL_SECONDS:.0f} s: {'met' if whole[0] <= GOAL_SECONDS else 'NOT met'}",
    ]
    print("\n".join(lines))
    (ROOT / "bench" / "results-evaluation.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
