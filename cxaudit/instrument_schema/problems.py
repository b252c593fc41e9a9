"""Problems found in library files, and the error that lists them all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DOCUMENT = "(document)"  # the path of a problem with the file as a whole


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: ``file: path: message``."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class LibraryError(Exception):
    """Every problem found in one or more library files; ``str()`` lists one per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
