from django.urls import path

from centres import views

app_name = "centres"

urlpatterns = [
    path("audit/", views.audit_trail, name="audit_trail"),
]
