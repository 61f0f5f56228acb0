"""What the assignments API reads and writes (see ``assignments/api.py``)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from assignments.models import Activity, Proposal, Resource


class Ref(Schema):
    id: int
    name: str


class VillageRef(Schema):
    id: int
    code: str
    name: str


class PlanOut(Schema):
    id: int
    number: str
    title: str
    issuer: str
    issued_on: datetime.date | None
    period_start: int
    period_end: int
    criteria_set_id: int | None
    related_documents: list[str] = Field(..., alias="related_document_list")
    is_active: bool
    is_demo: bool


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    is_demo: bool


class AssignmentOut(Schema):
    id: int
    plan_id: int
    agency: Ref
    village: VillageRef
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None


class MemberOut(Schema):
    id: int
    full_name: str
    position: str
    role: str
    agency_id: int | None
    workplace: str
    phone: str


class TeamOut(Schema):
    id: int
    plan_id: int
    village: VillageRef
    established_on: datetime.date | None
    decision: str
    note: str
    members: list[MemberOut]

    @staticmethod
    def resolve_members(team) -> list:
        return list(team.members.all())


class WorkOut(Schema):
    id: int
    plan_id: int
    agency: Ref
    village: VillageRef
    recorded_at: datetime.datetime
    is_demo: bool


class ActivityOut(WorkOut):
    held_on: datetime.date
    kind: str
    description: str
    people_reached: int
    households_reached: int
    customs: list[int]
    version: int

    @staticmethod
    def resolve_customs(activity) -> list[int]:
        return [custom.pk for custom in activity.customs.all()]


class ResourceOut(WorkOut):
    source: str
    kind: str
    amount: int = Field(..., description="Đồng for cash and goods, whole days for work-days.")
    received_on: datetime.date
    contributor: str
    households_benefiting: int
    criterion_id: int | None
    description: str
    version: int

    @staticmethod
    def resolve_source(resource) -> str:
        return resource.source.key


class ProposalOut(WorkOut):
    title: str
    content: str
    raised_on: datetime.date
    addressed_to: str
    addressed_agency_id: int | None
    status: str
    due_on: datetime.date | None
    answer: str
    closed_on: datetime.date | None


class DvkModelOut(WorkOut):
    name: str
    field: str
    kind: str
    stage: str
    registered_on: datetime.date
    situation: str
    goals: str
    content: str
    area: str
    forces: str
    resources: str
    timeline: str
    outputs: str
    sustainability: str
    evaluation: str
    evaluated_on: datetime.date | None


class WorkIn(Schema):
    plan: int
    village: int
    agency: int = Field(..., description="One of the agencies assigned to the village.")


class CorrectionIn(Schema):
    """A correction of a record: its fields as when recording it (plan and village stay), and
    the version read, so that a save made meanwhile is not overwritten (409)."""

    agency: int = Field(..., description="One of the agencies assigned to the village.")
    version: int = Field(..., description="The version read: a stale one is a 409.")


class ActivityFields(Schema):
    held_on: datetime.date
    kind: Activity.Kind
    description: str
    people_reached: int = 0
    households_reached: int = 0
    customs: list[int] = Field([], description="Ids of the outdated customs campaigned against.")


class ActivityIn(WorkIn, ActivityFields):
    pass


class ActivityEdit(CorrectionIn, ActivityFields):
    pass


class ResourceFields(Schema):
    source: int = Field(..., description="Id of the resource source.")
    kind: Resource.Kind
    amount: int
    received_on: datetime.date
    contributor: str = ""
    households_benefiting: int = 0
    criterion: int | None = None
    description: str = ""


class ResourceIn(WorkIn, ResourceFields):
    pass


class ResourceEdit(CorrectionIn, ResourceFields):
    pass


class ProposalAnswerIn(Schema):
    """A step of a proposal: forward, start, resolve or decline (the last two need an answer)."""

    action: Literal["forward", "start", "resolve", "decline"]
    answer: str = ""
    due_on: datetime.date | None = Field(None, description="When the answer is due.")


class ProposalIn(WorkIn):
    title: str
    content: str
    addressed_to: Proposal.Addressee
    addressed_agency: int | None = None
    due_on: datetime.date | None = None
