"""Exceptions shared by every stage.

A :class:`GbadInputError` is bad input from the user: the CLI turns it into exit
code 2 with one line naming ``field``, and the web API into HTTP 422.
"""

from __future__ import annotations

__all__ = ["GbadInputError"]


class GbadInputError(ValueError):
    """Bad user input, naming the field, flag or key path at fault.

    Parameters
    ----------
    field : str
        The flag (``--pk``), scenario key path (``target.factor``) or file column
        (``demand.csv: lat``) that is wrong.
    message : str
        What is wrong with it, in a few words.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
