from django.urls import path

from energy import api

urlpatterns = [
    path("api/energy", api.WalletView.as_view(), name="energy-wallet"),
    path("api/energy/actions", api.ActionListView.as_view(), name="energy-actions"),
    path("api/energy/check", api.CheckView.as_view(), name="energy-check"),
    path("api/energy/consume", api.ConsumeView.as_view(), name="energy-consume"),
    path("api/energy/refund", api.RefundView.as_view(), name="energy-refund"),
    path("api/energy/entries", api.EntryListView.as_view(), name="energy-entries"),
]
