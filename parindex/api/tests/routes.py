"""Permission matrix entries for the API's URLs.

The token and webhook pages are the office's. The JSON endpoints take no session at all: every
browser persona gets 401 (their matrix by scope is `test_scopes.py`); the schema is public.
Single sign-on is off in the tests, so its two URLs answer 404 to everyone.
"""

from __future__ import annotations

import datetime as dt

from parindex.core.tests.matrix import OFFICE, PUBLIC, Route

TOKEN_ONLY = [
    ("api_v1:index_sets", None),
    ("api_v1:index_set", lambda w: {"code": "X"}),
    ("api_v1:units", None),
    ("api_v1:unit", lambda w: {"code": w.home_unit.code}),
    ("api_v1:rounds", None),
    ("api_v1:round_detail", lambda w: {"code": "X"}),
    ("api_v1:round_results", lambda w: {"code": "X"}),
    ("api_v1:national_years", None),
    ("api_v1:national_table", lambda w: {"year": 2024}),
    ("api_v1:national_analysis", None),
    ("api_v1:monitoring_rates", None),
    ("api_v1:plans", None),
    ("api_v1:plan_detail", lambda w: {"code": "X"}),
    ("api_v1:progress_detail", lambda w: {"progress_id": 1}),
    ("api_v1:survey_results", None),
]
TOKEN_ONLY_POSTS = [
    ("api_v1:push_scores", lambda w: {"code": "X"}),
    ("api_v1:push_progress", None),
    ("api_v1:push_submission", None),
    ("api_v1:register_document", None),
]


def setup(world):
    """A token, a webhook endpoint and one delivery, made by the PAR officer."""
    from parindex.api import services
    from parindex.api.models import Delivery, Endpoint

    by = world.par_officer
    world.api_token = services.create_token(
        by=by,
        name="Matrix",
        scopes=["units:read"],
        expires_on=dt.date.today().replace(year=dt.date.today().year + 1),
    ).token
    world.endpoint = services.create_endpoint(
        by=by, name="Matrix", url="http://127.0.0.1:9/hook", events=[Endpoint.Event.PUBLISHED]
    )
    world.delivery = Delivery.objects.create(
        endpoint=world.endpoint, event=Endpoint.Event.PUBLISHED, key="k", payload={}
    )


ROUTES = [
    Route("api:tokens", OFFICE),
    Route("api:unit_options", OFFICE),
    Route("api:token", OFFICE, kwargs=lambda w: {"pk": w.api_token.pk}),
    Route(
        "api:token_revoke", OFFICE, kwargs=lambda w: {"pk": w.api_token.pk}, method="post", ok=302
    ),
    Route("api:webhooks", OFFICE),
    Route("api:webhook", OFFICE, kwargs=lambda w: {"pk": w.endpoint.pk}),
    Route(
        "api:webhook_active", OFFICE, kwargs=lambda w: {"pk": w.endpoint.pk}, method="post", ok=302
    ),
    Route(
        "api:delivery_replay", OFFICE, kwargs=lambda w: {"pk": w.delivery.pk}, method="post", ok=302
    ),
    Route("api_v1:openapi-json", PUBLIC),
    Route("api_v1:api-root", PUBLIC, ok=404),
    Route("oidc_authentication_init", PUBLIC, ok=404),
    Route("oidc_authentication_callback", PUBLIC, ok=404),
    *(Route(name, PUBLIC, kwargs=kwargs, ok=401) for name, kwargs in TOKEN_ONLY),
    *(
        Route(name, PUBLIC, kwargs=kwargs, method="post", ok=401)
        for name, kwargs in TOKEN_ONLY_POSTS
    ),
]
