from django.urls import path

from billing import api

urlpatterns = [
    path("api/billing/packs", api.PackListView.as_view(), name="billing-packs"),
    path(
        "api/billing/purchases", api.PurchasesView.as_view(), name="billing-purchases"
    ),
    path(
        "api/billing/purchases/<uuid:purchase_id>",
        api.PurchaseDetailView.as_view(),
        name="billing-purchase",
    ),
    path(
        "api/billing/subscription",
        api.SubscriptionView.as_view(),
        name="billing-subscription",
    ),
]
