"""The companies a token sees: its own."""

from ninja import Router, Schema

from .. import selectors
from ..auth import TokenRequest, read_results
from ..errors import documented
from ..params import Id

router = Router(tags=["companies"])


class Company(Schema):
    id: int
    name: str
    industry: str


@router.get("/companies", response={200: list[Company], **documented(403)}, auth=read_results)
def company_list(request: TokenRequest):
    """The companies the token can see: the one it belongs to."""
    return [request.auth.company]


@router.get(
    "/companies/{company_id}", response={200: Company, **documented(403, 404)}, auth=read_results
)
def company_detail(request: TokenRequest, company_id: Id):
    return selectors.company_get(token=request.auth, pk=company_id)
