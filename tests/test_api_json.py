"""The API's JSON encoder (gaoxin.api.FastJSONEncoder, issue 18) writes exactly what ninja's
encoder writes: it only answers the commonest types sooner."""

import datetime as dt
import json
import uuid
from decimal import Decimal

from django.utils.translation import gettext_lazy
from ninja.responses import NinjaJSONEncoder

from gaoxin.api import FastJSONEncoder, api
from gaoxin.projects.models import Channel
from gaoxin.projects.stages import Stage


def test_the_fast_encoder_writes_what_ninjas_encoder_writes():
    values = [
        Decimal("1234.50"),
        Decimal("0.00"),
        Decimal("-3"),
        Decimal("1E+3"),
        dt.date(2026, 12, 1),
        dt.datetime(2026, 12, 1, 8, 30, 15, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 1, 8, 30),
        dt.time(9, 15),
        dt.timedelta(days=1, seconds=5),
        uuid.UUID(int=7),
        Stage.SIGNED,
        Channel.DIRECT,
        gettext_lazy("Stage"),
        {"nested": [Decimal("2.5"), dt.date(2025, 1, 31)]},
    ]
    fast = json.dumps(values, cls=FastJSONEncoder)
    assert fast == json.dumps(values, cls=NinjaJSONEncoder)
    assert json.loads(fast)[:2] == ["1234.50", "0.00"]
    assert json.loads(fast)[4] == "2026-12-01"


def test_the_api_answers_with_the_fast_encoder():
    assert api.renderer.encoder_class is FastJSONEncoder
