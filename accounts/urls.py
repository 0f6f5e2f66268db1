from django.urls import path

from accounts import api

urlpatterns = [
    path("api/auth/register", api.RegisterView.as_view(), name="auth-register"),
    path("api/auth/login", api.LoginView.as_view(), name="auth-login"),
    path("api/auth/refresh", api.RefreshView.as_view(), name="auth-refresh"),
    path("api/auth/logout", api.LogoutView.as_view(), name="auth-logout"),
    path("api/auth/logout-all", api.LogoutAllView.as_view(), name="auth-logout-all"),
    path("api/auth/me", api.MeView.as_view(), name="auth-me"),
    path("api/auth/sessions", api.SessionListView.as_view(), name="auth-sessions"),
    path(
        "api/auth/sessions/<uuid:session_id>",
        api.SessionDetailView.as_view(),
        name="auth-session",
    ),
    path(
        "api/auth/password/change",
        api.PasswordChangeView.as_view(),
        name="auth-password-change",
    ),
    path(
        "api/auth/password/reset",
        api.PasswordResetView.as_view(),
        name="auth-password-reset",
    ),
    path(
        "api/auth/password/reset/confirm",
        api.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path("api/auth/csrf", api.CsrfView.as_view(), name="auth-csrf"),
    path("api/account/export", api.AccountExportView.as_view(), name="account-export"),
    path("api/account", api.AccountView.as_view(), name="account"),
]
