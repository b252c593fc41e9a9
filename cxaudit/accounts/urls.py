from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/password-reset/", views.password_reset, name="password-reset"),
    path("accounts/password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("accounts/reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path("accounts/profile/", views.profile, name="profile"),
    path("language/", views.language_set, name="language-set"),
    path("companies/new/", views.company_create, name="company-create"),
    path("companies/<int:pk>/", views.company_detail, name="company-detail"),
    path(
        "companies/<int:pk>/benchmark/",
        views.company_benchmark_edit,
        name="company-benchmark-edit",
    ),
    path("companies/<int:pk>/invite/", views.invitation_create, name="invitation-create"),
    path("invitations/<uuid:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("consultancies/<int:pk>/branding/", views.branding_edit, name="branding-edit"),
    path("brand/<str:key>/logo/", views.branding_logo, name="branding-logo"),
]
