from django.urls import path

from . import views

app_name = "kibotics_analytics"
urlpatterns = [
    path("grafana-auth", views.grafana_auth, name="grafana-auth"),
]
