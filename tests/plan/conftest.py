"""Fake stage adapters: the pipeline frame tested without the stage packages."""

from tests.plan.fixtures import fake_stages, small_plan

__all__ = ["fake_stages", "small_plan"]
