"""core.filters.FilterSet: filters copied shallowly per request, yet each filterset has its own
filters, form and field state, and choices from the database are read afresh."""

import pytest
from django.utils import translation

from gaoxin.enterprises.models import Cluster
from gaoxin.projects.filters import ProjectFilter
from gaoxin.projects.models import Project

pytestmark = pytest.mark.django_db


def test_two_filtersets_share_no_filter_or_field():
    first = ProjectFilter({"stage": ["signed"]}, queryset=Project.objects.all())
    second = ProjectFilter({"stage": ["lead"]}, queryset=Project.objects.all())
    assert first.form.is_valid() and second.form.is_valid()
    for name in first.filters:
        assert first.filters[name] is not second.filters[name]
        assert first.filters[name] is not ProjectFilter.base_filters[name]
        assert first.filters[name].parent is first and second.filters[name].parent is second
        assert first.form.fields[name] is not second.form.fields[name]
    assert first.form.cleaned_data["stage"] == ["signed"]
    assert second.form.cleaned_data["stage"] == ["lead"]
    assert not hasattr(ProjectFilter.base_filters["stage"], "parent")


def test_a_cluster_added_after_start_is_a_valid_choice_and_an_unknown_one_is_not():
    before = ProjectFilter({"cluster": "999999"}, queryset=Project.objects.all())
    assert "cluster" in before.errors
    cluster = Cluster.objects.create(code="new", name="新集群")
    after = ProjectFilter({"cluster": str(cluster.pk)}, queryset=Project.objects.all())
    assert after.is_valid(), after.errors
    assert after.form.cleaned_data["cluster"] == cluster


def test_a_filter_with_a_method_calls_its_own_filtersets_method():
    filterset = ProjectFilter(
        {"entered": "signed", "start": "2026-01-01", "end": "2026-06-30"},
        queryset=Project.objects.all(),
    )
    assert filterset.filters["entered"].filter.f is filterset.filters["entered"]
    assert list(filterset.qs) == []  # runs filter_entered on this filterset, no assertion


def test_the_form_class_is_built_once_per_language_and_speaks_each():
    with translation.override("en"):
        english = ProjectFilter({}, queryset=Project.objects.all()).form
        again = ProjectFilter({}, queryset=Project.objects.all()).form
        assert type(english) is type(again)
        assert english.fields is not again.fields
        label = str(english.fields["stage"].label)
    with translation.override("zh-hans"):
        chinese = ProjectFilter({}, queryset=Project.objects.all()).form
        assert type(chinese) is not type(english)
        assert str(chinese.fields["stage"].label) != label


def test_choices_per_request_are_refused_rather_than_shared():
    import django_filters
    from django.core.exceptions import ImproperlyConfigured

    from gaoxin.core.filters import FilterSet

    class PerUser(FilterSet):
        cluster = django_filters.ModelChoiceFilter(queryset=lambda request: Cluster.objects.all())

        class Meta:
            model = Project
            fields = ["cluster"]

    with pytest.raises(ImproperlyConfigured):
        PerUser({}, queryset=Project.objects.all()).get_form_class()
