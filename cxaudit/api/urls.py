from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("companies/<int:pk>/api-tokens/", views.token_list, name="token-list"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
