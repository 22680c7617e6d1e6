"""One page of 1 KB of HTML, as cheap as Django can answer it."""

from django.http import HttpResponse
from django.urls import path

PAGE = (
    "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Trang</title></head>"
    "<body><main>" + "<p>Cổng thông tin chính quyền thành phố.</p>" * 17 + "</main></body></html>"
).encode()


def page(request):
    return HttpResponse(PAGE)


def sized(request, kilobytes):
    """The same page grown to `kilobytes`, to compare a large answer with one of its size."""
    return HttpResponse(PAGE * kilobytes)


urlpatterns = [path("", page), path("kb/<int:kilobytes>/", sized)]
