"""Plain factory functions for tests: each makes one valid object with sensible defaults."""

import datetime
import io
import itertools

from assignments.models import Agency, Assignment, Membership, Plan
from villages.models import AdminUnit, Village

_counter = itertools.count(1)
REFORM = datetime.date(2025, 7, 1)


def commune(code: str, *, after_reform: bool = False) -> AdminUnit:
    """One of the real communes loaded by the reference-data migration."""
    units = AdminUnit.objects.communes().filter(code=code)
    return units.get(valid_from=REFORM) if after_reform else units.get(valid_from__isnull=True)


def make_village(name: str = "", *, commune_unit: AdminUnit | None = None, **extra) -> Village:
    number = next(_counter)
    village = Village(
        code=extra.pop("code", f"T{number:05d}"),
        name=name or f"Thôn thử {number}",
        commune=commune_unit or commune("23407"),
        **extra,
    )
    village.refresh_keys()
    village.save()
    return village


def make_agency(name: str = "", **extra) -> Agency:
    number = next(_counter)
    return Agency.objects.create(
        code=extra.pop("code", f"CQ{number:03d}"), name=name or f"Cơ quan thử {number}", **extra
    )


def make_plan(number: str = "133-KH/TU", **extra) -> Plan:
    defaults = {"title": "Kế hoạch thử", "issuer": "Tỉnh ủy Kon Tum"}
    defaults.update(period_start=2021, period_end=2025)
    defaults.update(extra)
    return Plan.objects.create(number=number, **defaults)


def assign(agency: Agency, village: Village, plan: Plan, role: str = "lead") -> Assignment:
    return Assignment.objects.create(agency=agency, village=village, plan=plan, role=role)


def join(user, *, agency: Agency | None = None, commune_unit: AdminUnit | None = None):
    return Membership.objects.create(user=user, agency=agency, commune=commune_unit)


# Files and work records (the permission matrix needs one of each) -------------------------------


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (4, 3)) -> bytes:
    """A real, tiny image (uploads are decoded, so a bare signature is refused)."""
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(output, kind)
    return output.getvalue()


def pdf_bytes() -> bytes:
    """A real one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


PNG = image_bytes()
JPEG = image_bytes("JPEG")
PDF = pdf_bytes()


def png_upload(name: str = "anh.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_dvk_model(plan: Plan, agency: Agency, village: Village, **extra):
    from assignments.models import DvkModel

    facts = dict.fromkeys(DvkModel.FACT_FIELDS, "…")
    facts.update(name="Mô hình thử", field=DvkModel.Field.ECONOMY)
    facts.update(extra)
    return DvkModel.objects.create(plan=plan, agency=agency, village=village, **facts)
