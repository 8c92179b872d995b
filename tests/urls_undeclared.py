"""A URLconf with one view that forgot its permission, for the access-control tests."""

from django.http import HttpResponse
from django.urls import path

from gaoxin.urls import urlpatterns as real_patterns


def forgotten(request):
    return HttpResponse("secret")


urlpatterns = [*real_patterns, path("forgotten/", forgotten)]
