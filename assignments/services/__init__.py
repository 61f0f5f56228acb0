"""Writes of the assignments app. Each service runs in one transaction and raises
``Refused`` (dankhoeo.errors, a ``ValidationError`` with a translated message) when a rule
refuses it; the state is then unchanged.

Each takes the ``user`` who acts and asks the access policy (``dankhoeo.access``) first,
raising ``PermissionDenied`` when the user may not make the change, so that no path (view,
import, command, API) can skip it; ``user=None`` is the system itself (demo data, a command run
by the operator)."""

from assignments.services.commonplans import (
    common_plan_delete,
    common_plan_record,
    common_plan_update,
)
from assignments.services.dvk import (
    NEXT_STAGE,
    dvk_advance,
    dvk_attach,
    dvk_evaluate,
    dvk_register,
    dvk_update,
)
from assignments.services.plans import (
    agency_save,
    assignment_remove,
    assignment_set,
    assignments_import,
    dissemination_record,
    membership_add,
    membership_remove,
    plan_save,
)
from assignments.services.teams import team_create, team_member_add, team_member_remove
from assignments.services.work import (
    PROPOSAL_TRANSITIONS,
    activity_delete,
    activity_photo_add,
    activity_record,
    activity_update,
    proposal_raise,
    proposal_transition,
    resource_delete,
    resource_record,
    resource_update,
)

__all__ = [
    "NEXT_STAGE",
    "PROPOSAL_TRANSITIONS",
    "activity_delete",
    "activity_photo_add",
    "activity_record",
    "activity_update",
    "agency_save",
    "assignment_remove",
    "assignment_set",
    "assignments_import",
    "common_plan_delete",
    "common_plan_record",
    "common_plan_update",
    "dissemination_record",
    "dvk_advance",
    "dvk_attach",
    "dvk_evaluate",
    "dvk_register",
    "dvk_update",
    "membership_add",
    "membership_remove",
    "plan_save",
    "proposal_raise",
    "proposal_transition",
    "resource_delete",
    "resource_record",
    "resource_update",
    "team_create",
    "team_member_add",
    "team_member_remove",
]
