from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("exercise/<int:pk>/", views.exercise, name="exercise"),
    path("health", views.health, name="health"),
    path("login", views.login_view),
    path("logout", views.logout_view),
    path("simulation/<str:exercise_id>/start", views.start_simulation),
    path("boom", views.boom),
    path("admin/", admin.site.urls),
    path("analytics/", include("kibotics_analytics.urls")),
]
