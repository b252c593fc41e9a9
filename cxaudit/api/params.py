"""Parameter types shared by the endpoints."""

from typing import Annotated

from ninja import Path

# A row id: bounded so that no value reaches the database out of a bigint's range.
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
