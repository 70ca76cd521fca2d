"""Base class for scenario sections: strict, documented, defaulted."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Section"]


class Section(BaseModel):
    """A scenario section: unknown keys are errors, every field has a default."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)
