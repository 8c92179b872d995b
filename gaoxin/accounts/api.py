from ninja import Router, Schema

from gaoxin.core.permissions import AUTHENTICATED, api_permission
from gaoxin.core.permissions_catalog import granted_permissions

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    department: str | None
    enterprise_id: int | None
    permissions: list[str]


@router.get("/me", response=MeOut, summary="The signed-in user and what they may do")
@api_permission(AUTHENTICATED)
def me(request):
    user = request.auth

    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "department": user.department.name if user.department else None,
        "enterprise_id": user.enterprise_id,
        "permissions": granted_permissions(user),
    }
