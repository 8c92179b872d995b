"""The product's routes plus /bench/minimal/: the framework's own ceiling on this server."""

from django.http import HttpResponse
from django.urls import path

from gaoxin.core.permissions import public
from gaoxin.urls import urlpatterns as product_urlpatterns


@public
def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *product_urlpatterns]
