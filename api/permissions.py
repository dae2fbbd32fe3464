"""Who may call an endpoint at all, by role (DESIGN §1). Scope (whose objects) is the
selectors' business: an object outside it is a 404, never a 403."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from certification.models import Role
from certification.models.accounts import has_role
from certification.policies import ROLE_NOT_ALLOWED


def roles_allowed(*roles: Role) -> type[BasePermission]:
    class HasRole(BasePermission):
        message = ROLE_NOT_ALLOWED

        def has_permission(self, request: Request, view: Any) -> bool:
            return any(has_role(request.user, role) for role in roles)

    HasRole.__name__ = "Is" + "Or".join(role.name.title() for role in roles)
    return HasRole


IsApplicant = roles_allowed(Role.APPLICANT)
IsOfficer = roles_allowed(Role.OFFICER)
IsAuditorOrOfficer = roles_allowed(Role.AUDITOR, Role.OFFICER)
IsApplicantOrOfficer = roles_allowed(Role.APPLICANT, Role.OFFICER)
IsAnyRole = roles_allowed(Role.APPLICANT, Role.AUDITOR, Role.OFFICER)
