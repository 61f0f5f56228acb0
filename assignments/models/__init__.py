"""The assignments app's models: who helps whom (``plans``) and what they did (``work``)."""

from assignments.models.plans import (
    Agency,
    Assignment,
    Dissemination,
    Membership,
    Plan,
    SupportTeam,
    TeamMember,
)
from assignments.models.work import (
    Activity,
    ActivityPhoto,
    DvkAttachment,
    DvkModel,
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
