from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("companies/<int:pk>/api-tokens/", views.token_list, name="token-list"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("companies/<int:pk>/webhooks/", views.webhook_list, name="webhook-list"),
    path("webhooks/<int:pk>/toggle/", views.webhook_toggle, name="webhook-toggle"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook-delete"),
    path("webhooks/<int:pk>/test/", views.webhook_test, name="webhook-test"),
]
