from django.urls import path

from energy import compat

urlpatterns = [
    path("luna/energy/check", compat.CheckView.as_view()),
    path("luna/energy/can-perform", compat.CanPerformView.as_view()),
    path("luna/energy/consume", compat.ConsumeView.as_view()),
    path("luna/energy/preview", compat.PreviewView.as_view()),
    path("luna/energy/refund", compat.RefundView.as_view()),
    path(
        "luna/energy/refund-eligibility/<str:user_id>/<str:action_event_id>",
        compat.RefundEligibilityView.as_view(),
    ),
    path(
        "luna/energy/refund-history/<str:user_id>", compat.RefundHistoryView.as_view()
    ),
    path("luna/energy/refund-policy", compat.RefundPolicyView.as_view()),
    path("luna/energy/transactions/<str:user_id>", compat.TransactionsView.as_view()),
]
