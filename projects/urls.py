from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.object_list, name="list"),
    path("<slug:slug>/", views.object_detail, name="detail"),
]
