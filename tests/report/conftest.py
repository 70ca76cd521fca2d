"""A small real plan shared with the other plan and report tests."""

from tests.plan.fixtures import small_plan

__all__ = ["small_plan"]
