from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.object_list, name="list"),
    path("<int:pk>/", views.object_list, name="detail"),
]
