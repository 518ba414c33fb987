"""Schemathesis against the city process's OpenAPI description (bounded, loopback only).

Every operation of the city's read API gets generated requests and every check
schemathesis has: no 5xx, every answer matching the statuses, content types and schemas
the description declares, invalid input refused, unsupported methods answered 405. The
city process follows three real hall servers (``conftest.city``).
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config._checks import PositiveDataAcceptanceConfig

from tests.city.conftest import City, until

MAX_EXAMPLES = 10
load_all_checks()
ALL_CHECKS = CHECKS.get_all()


@pytest.fixture(scope="module")
def city_schema(city: City):
    for key in city.halls:
        until(lambda key=key: city.hall_now(key)["reachable"], what=f"{key} read")
    spec = httpx.get(city.url + "/city/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(spec)
    schema.config.update(base_url=city.url)
    # a schema-valid request may still name a hall city.toml does not list (404), or ask
    # for a service and a matter at once (422)
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=["2xx", "404", "422"]
    )
    return schema


schema = schemathesis.pytest.from_fixture("city_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_the_city_api_conforms(case) -> None:
    case.call_and_validate(checks=ALL_CHECKS, timeout=30)
