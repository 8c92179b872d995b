"""The data generator fills every module that exists, reproducibly."""

import pytest
from django.core.management import call_command
from django.db.models import F

from gaoxin.affairs.models import Application, Appointment, Rating, Review, Slot
from gaoxin.dispatch.models import KeyProject, LedgerEntry, Milestone, Problem
from gaoxin.projects.models import Project
from gaoxin.spaces.models import Lease, Unit
from gaoxin.talent.idnumbers import normalise_id_number
from gaoxin.talent.models import Talent, Team

pytestmark = pytest.mark.django_db


def test_generate_data_fills_the_register_and_dispatch(calendar):
    call_command("generate_data", projects=400, seed=5, quiet=True, years=3)
    assert Project.objects.count() == 400
    landed = Project.objects.filter(stage__in=("signed", "registered", "under_construction"))
    expected = min(max(landed.count() // 100, 61), landed.count())
    assert KeyProject.objects.count() == expected
    assert Milestone.objects.count() == 9 * expected  # the standard template's nine nodes
    assert not Milestone.objects.filter(planned_end__lt=F("planned_start")).exists()
    assert Problem.objects.filter(state="submitted", deadline__isnull=False).count() == 0
    assert Problem.objects.exists()
    assert LedgerEntry.objects.exists()
    assert not LedgerEntry.objects.exclude(project__stage="in_production").exists()


def test_generate_data_fills_government_services(calendar):
    call_command("generate_data", projects=200, seed=3, quiet=True, years=2)
    assert Application.objects.count() == 100
    accepted = Application.objects.filter(accepted_at__isnull=False)
    assert Review.objects.count() == accepted.count()  # one per accepted case
    assert not accepted.filter(window__isnull=True).exists()
    assert not Rating.objects.exclude(application__state="closed").exists()
    assert all(a.items.count() == 1 for a in Application.objects.all()[:20])
    # Places booked never exceed places, and each booked place is an appointment.
    assert not Slot.objects.filter(booked__gt=F("capacity")).exists()
    booked = sum(Slot.objects.values_list("booked", flat=True))
    assert Appointment.objects.count() == booked


def test_generate_data_fills_space_and_talent(calendar):
    call_command("generate_data", projects=500, seed=2, quiet=True, years=2)
    assert Unit.objects.exists() and Lease.objects.exists()
    assert Lease.objects.values("unit").distinct().count() == Lease.objects.count()  # no overlap
    assert Talent.objects.count() == 10 and Team.objects.count() == 1
    for talent in Talent.objects.all():
        assert normalise_id_number(talent.id_number) == talent.id_number
