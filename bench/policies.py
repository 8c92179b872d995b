"""Bench: matching every clause of the policy library against 20,000 enterprises on PostgreSQL.

Run: `.venv/bin/python bench/policies.py`. The first run creates BENCH_POLICIES_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/gaoxin_bench_policies), migrates it and generates
BENCH_ENTERPRISES (20,000) enterprises with industry, cluster, headcount, location and date of
establishment (some left unknown), a third holding a qualification (some lapsed), each with a
producing project and 12 ledger months (240,000 entries, R&D spending on half of them), and
five clauses using every kind of criterion and both amount rules. It times
``matching.match(all clauses, all enterprises)`` — loading the facts and evaluating every
clause for every enterprise with its reasons — as the median of BENCH_POLICIES_REPEAT (5) runs,
and counts the queries at 2,000 and at 20,000 enterprises (they must be equal). Goal ≤ 2 s.
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
    "BENCH_POLICIES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gaoxin_bench_policies"
)
ENTERPRISES = int(os.environ.get("BENCH_ENTERPRISES", "20000"))
REPEAT = int(os.environ.get("BENCH_POLICIES_REPEAT", "5"))
YEAR = 2025
GOAL_SECONDS = 2.0

os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, str(ROOT))

PERIOD = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
CLAUSES = [
    (
        "高新技术企业认定奖励",
        [{"type": "qualification", "code": "hnte", "on": f"{YEAR}-12-31"}, {"type": "in_zone"}],
        {"kind": "fixed", "amount": "20"},
    ),
    (
        "研发费用补助",
        [{"type": "figure", "figure": "rd_spending", **PERIOD, "min": "50"}],
        {"kind": "rate", "figure": "rd_spending", **PERIOD, "rate": "0.1", "cap": "200"},
    ),
    (
        "规上工业稳岗奖励",
        [
            {"type": "industry", "codes": ["C"]},
            {"type": "headcount", "min": 50},
            {"type": "figure", "figure": "output_value", **PERIOD, "min": "2000"},
        ],
        {"kind": "fixed", "amount": "10"},
    ),
    (
        "新落户企业开办补贴",
        [
            {"type": "registered", "from": "2024-01-01", "to": f"{YEAR}-12-31"},
            {"type": "cluster", "codes": ["it", "health"]},
        ],
        {"kind": "fixed", "amount": "5"},
    ),
    (
        "人才公寓租金补贴",
        [{"type": "talents", "min": 1}, {"type": "qualification", "code": "srdi", **PERIOD}],
        {"kind": "rate", "figure": "tax", **PERIOD, "rate": "0.01", "cap": "3"},
    ),
]


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
    from gaoxin.dispatch.models import LedgerEntry
    from gaoxin.enterprises.models import Cluster, Enterprise, Qualification, QualificationType
    from gaoxin.projects.models import Project, Stage

    if Enterprise.objects.filter(name__startswith="政策基准企业").count() >= ENTERPRISES:
        return
    print(f"generating {ENTERPRISES} enterprises …", flush=True)
    clusters = [
        Cluster.objects.get_or_create(code=c, defaults={"name": n})[0]
        for c, n in (("it", "新一代信息技术"), ("health", "生命大健康"), ("equipment", "装备"))
    ]
    divisions = ["39", "35", "36", "14", "84", "65"]
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(
                name=f"政策基准企业{n:05d}有限公司",
                uscc=f"91371100MB{n:08d}",
                industry_id=None if n % 23 == 0 else divisions[n % len(divisions)],
                cluster=clusters[n % 3],
                headcount=None if n % 17 == 0 else 10 + (n * 7) % 400,
                in_zone=None if n % 29 == 0 else n % 10 != 0,
                established_on=dt.date(2010 + n % 16, 1 + n % 12, 1),
            )
            for n in range(ENTERPRISES)
        ],
        batch_size=5000,
    )
    types = {t.code: t for t in QualificationType.objects.all()}
    Qualification.objects.bulk_create(
        [
            Qualification(
                enterprise=e,
                type=types["hnte" if n % 2 else "srdi"],
                valid_from=dt.date(2023, 1, 1),
                valid_to=dt.date(2025, 6, 30) if n % 5 == 0 else dt.date(2026, 12, 31),
            )
            for n, e in enumerate(enterprises)
            if n % 3 == 0
        ],
        batch_size=5000,
    )
    projects = Project.objects.bulk_create(
        [
            Project(name=f"政策基准项目{n:05d}", enterprise=e, stage=Stage.AT_CAPACITY)
            for n, e in enumerate(enterprises)
        ],
        batch_size=5000,
    )
    entries = []
    for n, project in enumerate(projects):
        for month in range(1, 13):
            output = Decimal(50 + (n * 13 + month * 7) % 400)
            entries.append(
                LedgerEntry(
                    project=project,
                    month=dt.date(YEAR, month, 1),
                    output_value=output,
                    tax=(output * Decimal("0.05")).quantize(Decimal("0.01")),
                    employees=10 + n % 300,
                    rd_spending=(output * Decimal("0.04")).quantize(Decimal("0.01"))
                    if n % 2
                    else None,
                    entered_by=admin,
                )
            )
        if len(entries) >= 24000:
            LedgerEntry.objects.bulk_create(entries, batch_size=6000)
            entries = []
    LedgerEntry.objects.bulk_create(entries, batch_size=6000)


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gaoxin.accounts.models import Role, User
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.policies import services
    from gaoxin.policies.matching import match
    from gaoxin.policies.models import Clause, ClauseMode, Policy

    call_command("migrate", verbosity=0)
    admin, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"role": Role.ADMIN, "is_superuser": True}
    )
    generate(admin)
    policy, _ = Policy.objects.get_or_create(
        title="基准政策",
        defaults={"issuing_body": "高新区管委会", "starts_on": dt.date(YEAR, 1, 1)},
    )
    for n, (title, criteria, amount) in enumerate(CLAUSES, 1):
        if not Clause.objects.filter(policy=policy, number=str(n)).exists():
            services.clause_save(
                by=admin,
                policy=policy,
                data={
                    "number": str(n),
                    "title": title,
                    "mode": ClauseMode.AUTOMATIC,
                    "criteria": criteria,
                    "amount_rule": amount,
                },
            )
    clauses = list(Clause.objects.filter(policy=policy).select_related("policy"))
    connection.cursor().execute("ANALYZE")
    everyone = Enterprise.objects.all()
    fewer = Enterprise.objects.filter(pk__in=everyone.order_by("pk").values("pk")[:2000])

    def run(enterprises) -> tuple[float, float, int, list, float]:
        match(clauses, enterprises)  # warm
        samples, cpu, queries, results = [], [], 0, []
        for _ in range(REPEAT):
            counted = []

            def count(execute, sql, params, many, context, counted=counted):
                counted.append(1)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                start, start_cpu = time.perf_counter(), time.process_time()
                results = match(clauses, enterprises)
                samples.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            queries = len(counted)
        return statistics.median(samples), max(samples), queries, results, statistics.median(cpu)

    small = run(fewer)
    whole = run(everyone)
    total = everyone.count()
    load = os.getloadavg()[0]
    lines = [
        f"Policy matching: {len(clauses)} clauses × {total:,} enterprises, PostgreSQL, "
        f"median of {REPEAT} (load average {load:.1f} on {os.cpu_count()} cores):",
        f"  all clauses × {total:,} enterprises: {whole[0]:.2f} s (max {whole[1]:.2f} s; "
        f"Python CPU {whole[4]:.2f} s), {whole[2]} queries",
        f"  all clauses × 2,000 enterprises: {small[0]:.2f} s, {small[2]} queries "
        f"({'same' if small[2] == whole[2] else 'DIFFERENT'} query count)",
    ]
    for found in whole[3]:
        lines.append(
            f"  {found.clause.title}: eligible {len(found.eligible):,}, "
            f"not determinable {len(found.undeterminable):,}, ineligible {len(found.ineligible):,}"
        )
    lines.append(
        f"  goal ≤ {GOAL_SECONDS:.0f} s: {'met' if whole[0] <= GOAL_SECONDS else 'NOT met'}"
    )
    print("\n".join(lines))
    (ROOT / "bench" / "results-policies.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
