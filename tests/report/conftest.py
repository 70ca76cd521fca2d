"""Fake stage adapters (as in tests/plan): the report tested with known numbers."""

from tests.plan.fixtures import fake_stages, small_plan

__all__ = ["fake_stages", "small_plan"]
