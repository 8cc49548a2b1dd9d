from django.urls import path

from centres import views

app_name = "centres"

urlpatterns = [
    path("audit/", views.audit_trail, name="audit_trail"),
    path("locked-accounts/", views.locked_accounts, name="locked_accounts"),
    path("locked-accounts/<uuid:membership_id>/unlock/", views.unlock_account, name="unlock_account"),
]
