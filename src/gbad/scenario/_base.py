"""Base class for scenario sections: strict, documented, defaulted."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Section"]


class Section(BaseModel):
    """A scenario section: unknown keys are errors, every field has a default.

    Types are strict: ``true`` or ``"3"`` is not a number and ``1`` is not
    ``true``; numbers must be finite (NaN and infinities are named as such).
    """

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        frozen=False,
        strict=True,
        allow_inf_nan=False,
    )
