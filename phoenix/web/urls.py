from django.urls import path

from phoenix.web.views import account, app, billing, public

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("signup", public.signup, name="signup"),
    path("login", public.login, name="login"),
    path("logout", public.logout, name="logout"),
    path("language", public.language, name="language"),
    path("password/reset", public.password_reset, name="password-reset"),
    # The address mailed by accounts.services.request_password_reset.
    path(
        "password/reset/<str:uid>/<str:token>",
        public.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("app", app.dashboard, name="dashboard"),
    path("app/luna", app.luna_page, name="luna"),
    path("app/narrative", app.narrative_page, name="narrative"),
    path("app/energy", app.energy_page, name="energy"),
    path("app/energy/refund", app.refund, name="refund"),
    path("app/billing", billing.billing_page, name="billing"),
    path("app/billing/cancel", billing.cancel_subscription, name="cancel-subscription"),
    path("app/account", account.account_page, name="account"),
    path("app/account/profile", account.profile, name="profile"),
    path("app/account/sessions/revoke", account.revoke_session, name="revoke-session"),
    path("app/account/password", account.change_password, name="change-password"),
    path("app/account/export", account.export, name="export"),
    path("app/account/delete", account.delete_account, name="delete-account"),
]
