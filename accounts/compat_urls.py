from django.urls import path

from accounts import compat

urlpatterns = [
    path("auth/register", compat.LegacyRegisterView.as_view()),
    path("auth/login", compat.LegacyLoginView.as_view()),
    path("auth/refresh", compat.LegacyRefreshView.as_view()),
    path("auth/me", compat.LegacyMeView.as_view()),
    path("auth/sessions", compat.LegacySessionListView.as_view()),
    path("auth/sessions/<uuid:session_id>", compat.LegacySessionDetailView.as_view()),
    path("auth/logout", compat.LegacyLogoutView.as_view()),
    path("auth/logout-all", compat.LegacyLogoutAllView.as_view()),
]
