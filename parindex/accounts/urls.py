from __future__ import annotations

from django.urls import path

from parindex.accounts.views import auth, twofactor, users

app_name = "accounts"

urlpatterns = [
    path("login/", auth.login, name="login"),
    path("login/code/", auth.login_code, name="login_code"),
    path("logout/", auth.logout, name="logout"),
    path("password/", auth.password_change, name="password_change"),
    path("password/done/", auth.password_change_done, name="password_change_done"),
    path("password/reset/", auth.password_reset, name="password_reset"),
    path("password/reset/sent/", auth.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth.password_reset_complete, name="password_reset_complete"),
    path("two-factor/", twofactor.two_factor, name="two_factor"),
    path("two-factor/codes/", twofactor.two_factor_codes, name="two_factor_codes"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/import/", users.user_import, name="user_import"),
    path("users/unit-options/", users.unit_options, name="unit_options"),
    path("users/<int:pk>/", users.user_edit, name="user_edit"),
    path("users/<int:pk>/send-reset/", users.user_send_reset, name="user_send_reset"),
    path(
        "users/<int:pk>/reset-two-factor/",
        users.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
]
