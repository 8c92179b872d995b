"""One number everywhere (issue 18): every surface takes a figure from the same engine call,
with the same base, and every tile opens exactly the records it counts."""

import datetime as dt
import random
from io import BytesIO

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.cockpit import selectors
from gaoxin.enterprises.models import Cluster
from gaoxin.projects import stats
from gaoxin.projects.services import money_add, project_advance, project_create
from gaoxin.projects.stages import PIPELINE, Stage

pytestmark = pytest.mark.django_db
D = dt.date
PATH = [Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED, Stage.UNDER_CONSTRUCTION]
PATH += [Stage.IN_PRODUCTION, Stage.AT_CAPACITY]


@pytest.fixture
def zone(staff, calendar):
    """Forty projects with random histories over 2024–2026 (seeded), two clusters, plans,
    investment and money entries."""
    rng = random.Random(18)
    clusters = [Cluster.objects.create(name=f"集群{i}", code=f"c{i}", order=i) for i in range(2)]
    last = timezone.localdate() - dt.timedelta(days=1)
    for i in range(40):
        on = D(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
        project = project_create(
            by=staff,
            data={
                "name": f"项目{i}",
                "prospective_investor": f"投资方{i}",
                "cluster": rng.choice([*clusters, None]),
                "fixed_asset_investment": rng.randrange(100, 5000),
                "total_investment": rng.randrange(5000, 9000),
                "planned_start_on": D(2024, 6, 1) + dt.timedelta(days=rng.randrange(0, 900)),
            },
            stage=Stage.LEAD,
            on=min(on, last),
        )
        for stage in PATH[: rng.randrange(0, len(PATH) + 1)]:
            on = on + dt.timedelta(days=rng.randrange(5, 120))
            if on > last:
                break
            project_advance(project=project, to_stage=stage, on=on, by=staff)
            if stage == Stage.UNDER_CONSTRUCTION:
                money_add(project=project, by=staff, kind="investment_completed", on=on, amount=300)
        if rng.random() < 0.5:
            money_add(project=project, by=staff, kind="funds_in_place", on=min(on, last), amount=70)
    return clusters


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 6, 30))
SLOW = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _sheet(content, title):
    return list(load_workbook(BytesIO(content))[title].iter_rows(values_only=True))


@SLOW
@given(start=dates, days=st.integers(min_value=0, max_value=540))
def test_every_surface_gives_the_same_number(zone, staff, client, start, days):
    end = min(start + dt.timedelta(days=days), D(2027, 12, 31))
    period = stats.Period(start, end)
    today = timezone.localdate()
    engine = stats.summary(period, today=today)
    counted = period.counted(today)
    assert engine.period == counted
    assert engine.base_period == counted.year_earlier()
    expected = {s: (c.value, c.base, c.growth) for s, c in engine.entries.items()}
    register = (engine.in_register.value, engine.in_register.base)

    def same(summary):
        assert {s: (c.value, c.base, c.growth) for s, c in summary.entries.items()} == expected
        assert (summary.in_register.value, summary.in_register.base) == register
        assert summary.rates == engine.rates

    same(stats.zone_summary(period, today))  # the home pages
    data = selectors.cockpit(period, today)  # the cockpit and the big screen
    same(data.summary)
    client.force_login(staff)
    q = {"year": start.year, "span": "custom", "start": start, "end": end}
    page = client.get("/projects/statistics/", q)
    same(page.context["summary"])
    cockpit_page = client.get("/cockpit/", q)
    tiles = {t.get("stage", "register"): t["value"] for t in cockpit_page.context["tiles"]}
    assert tiles["register"] == register[0]
    for stage in (Stage.NEGOTIATING, Stage.SIGNED, Stage.UNDER_CONSTRUCTION):
        assert tiles[stage] == expected[stage][0]
    token = {"Authorization": f"Bearer {api_token_create(user=staff, name='t')[1]}"}
    api = client.get("/api/v1/projects/statistics", {"start": start, "end": end}, headers=token)
    body = api.json()
    assert body["counted_end"] == counted.end.isoformat()
    assert body["base_start"] == counted.year_earlier().start.isoformat()
    for stage, (value, base, _growth) in expected.items():
        assert (body["entries"][stage]["value"], body["entries"][stage]["base"]) == (value, base)
    cockpit_api = client.get("/api/v1/cockpit", {"start": start, "end": end}, headers=token)
    assert cockpit_api.json()["in_register"]["value"] == register[0]
    # The exports: the statistics workbook and the period report's, with the base period.
    sheet = client.get("/projects/statistics/", {**q, "export": "xlsx"}).content
    rows = {
        r[0]: r for r in load_workbook(BytesIO(sheet)).worksheets[0].iter_rows(values_only=True)
    }
    for stage in PIPELINE[1:]:
        row = rows[str(Stage(stage).label)]
        assert (row[1], row[2]) == expected[stage][:2]
        assert str(counted.year_earlier()) in row[4]
    report = {
        r.label: r for section in selectors.period_report(period, today) for r in section.rows
    }
    for stage in PIPELINE[1:]:
        row = report[_("New: %(stage)s") % {"stage": Stage(stage).label}]
        assert (row.value, row.last_year) == expected[stage][:2]


def test_a_period_running_past_today_is_counted_to_today(zone):
    today = D(2026, 11, 29)
    summary = stats.summary(stats.Period.year(2026), today=today)
    assert summary.period == stats.Period(D(2026, 1, 1), today)
    assert summary.base_period == stats.Period(D(2025, 1, 1), D(2025, 11, 29))
    # 1–11月累计: the same as asking for the span itself.
    same_span = stats.summary(stats.Period(D(2026, 1, 1), today), today=today)
    assert summary.entries == same_span.entries
    assert "2025-01-01 – 2025-11-29" in summary.entries["signed"].base_display


def test_every_tile_opens_exactly_the_records_it_counts(zone, staff, client):
    client.force_login(staff)
    today = timezone.localdate()
    for period in (stats.Period.year(today.year), stats.Period(D(2025, 3, 1), D(2025, 9, 30))):
        q = {"year": period.start.year, "span": "custom", "start": period.start, "end": period.end}
        context = client.get("/cockpit/", q).context
        for tile in context["tiles"]:
            listed = client.get(tile["url"]).context["page"].paginator.count
            assert listed == tile["value"], tile["label"]
        for rate in context["rate_tiles"]:
            for part in ("numerator", "denominator"):
                if rate[part] is None:
                    continue
                figure, url = rate[part]
                response = client.get(url)
                if "/projects/money/" in url:
                    assert response.context["total"] == figure, (rate["key"], part)
                elif rate["key"] == "investment_completion":
                    listed = response.context["page"].paginator.object_list
                    assert sum(p.fixed_asset_investment for p in listed) == figure
                else:
                    assert response.context["page"].paginator.count == figure, (rate["key"], part)
        summary = context["summary"]
        # Each cluster's bar opens the projects it counts, and the clusters add up.
        for cluster in context["data"].by_cluster:
            for stage, n in cluster["counts"].items():
                url = context["charts"]["clusters"][1][selectors.TREND_STAGES.index(stage)]
                link = url[context["data"].by_cluster.index(cluster)]
                if cluster["key"]:
                    assert client.get(link).context["page"].paginator.count == n
        for stage in selectors.TREND_STAGES:
            total = sum(c["counts"][stage] for c in context["data"].by_cluster)
            assert total == summary.entries[stage].value
