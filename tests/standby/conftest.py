"""The demo hall fixtures of the screen tests, for the floor's failover test."""

from tests.tui.conftest import demo_template, desk_hall  # noqa: F401  (fixtures)
