from django.urls import path

from billing import compat

urlpatterns = [
    path("billing/packs", compat.PacksView.as_view()),
    path("billing/create-intent", compat.CreateIntentView.as_view()),
    path("billing/confirm-payment", compat.ConfirmPaymentView.as_view()),
    path("billing/history/<str:user_id>", compat.HistoryView.as_view()),
    path("billing/create-subscription", compat.CreateSubscriptionView.as_view()),
    path("billing/health", compat.BillingHealthView.as_view()),
]
