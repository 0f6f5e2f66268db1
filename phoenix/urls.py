"""URL map. Every API route lives under /api/; errors there are JSON envelopes."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from phoenix import api, errors, health

admin.site.site_header = _("Phoenix Luna Hub — staff")
admin.site.site_title = _("Phoenix Luna Hub staff")
admin.site.index_title = _("Accounts, energy, narrative and billing")

api_patterns = [
    path("api/ping", api.PingView.as_view(), name="api-ping"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]

urlpatterns = [
    path("health", health.health, name="health"),
    path("ready", health.ready, name="ready"),
    *api_patterns,
    path("", include("accounts.urls")),
    path("", include("narrative.urls")),
    path("", include("energy.urls")),
    path("", include("billing.urls")),
    path("", include("luna.urls")),
    # Stripe webhooks: /stripe/webhook/<endpoint uuid> (verified by signature).
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    # The predecessor's routes, kept for the Phoenix apps that still call them
    # (listed under the "legacy" tag of the schema; errors in its old shape).
    path("", include("accounts.compat_urls")),
    path("", include("energy.compat_urls")),
    path("", include("narrative.compat_urls")),
    path("", include("billing.compat_urls")),
    path("", include("luna.compat_urls")),
    # Unknown API routes answer a JSON 404 whatever the method, even in DEBUG.
    re_path(r"^api/", errors.api_not_found),
    re_path(r"^(auth|luna|billing)/", errors.api_not_found),
    path("admin", RedirectView.as_view(url="/admin/", permanent=True)),
    path("admin/", admin.site.urls),
    # The web pages (/, /signup, /login, /app…), last: API routes win.
    path("", include("phoenix.web.urls")),
]

handler400 = errors.handler400
handler403 = errors.handler403
handler404 = errors.handler404
handler500 = errors.handler500
