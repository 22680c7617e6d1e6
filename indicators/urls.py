from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="list"),
    path("<slug:code>.csv", views.indicator_csv, name="csv"),
    path("<slug:code>/", views.indicator_detail, name="detail"),
]
