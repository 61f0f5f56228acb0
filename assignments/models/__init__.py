"""The assignments app's models: who helps whom (``plans``), the support teams of the
villages (``teams``), what the agencies did (``work``), their "Dân vận khéo" models (``dvk``)
and the common plans they agree with the communes (``commonplans``)."""

from assignments.models.commonplans import CommonPlan
from assignments.models.dvk import DvkAttachment, DvkModel
from assignments.models.plans import (
    Agency,
    Assignment,
    Dissemination,
    Membership,
    Plan,
)
from assignments.models.teams import SupportTeam, TeamMember
from assignments.models.work import (
    Activity,
    ActivityPhoto,
    OutdatedCustom,
    Proposal,
    Resource,
    ResourceSource,
)

__all__ = [
    "Activity",
    "ActivityPhoto",
    "Agency",
    "Assignment",
    "CommonPlan",
    "Dissemination",
    "DvkAttachment",
    "DvkModel",
    "Membership",
    "OutdatedCustom",
    "Plan",
    "Proposal",
    "Resource",
    "ResourceSource",
    "SupportTeam",
    "TeamMember",
]
