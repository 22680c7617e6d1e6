from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("follow/<slug:kind>/", views.follow, name="follow"),
    path("follow/<slug:kind>/<int:pk>/", views.follow, name="follow_record"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<slug:token>/", views.confirm, name="confirm"),
    path("manage/<slug:token>/", views.manage, name="manage"),
    path("unsubscribe/<slug:token>/", views.unsubscribe, name="unsubscribe"),
]
