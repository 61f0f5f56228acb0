"""Writes on administrative units, villages and their yearly statistics.

Each function is keyword-only, runs in one transaction and raises ``dankhoeo.errors.Refused`` (a
``ValidationError`` with a translated message) when a rule of the domain refuses the change;
the database is then left exactly as it was. The Excel import reads in ``villages.imports`` and
saves here.
"""

from villages.models import villages_saved_in_bulk
from villages.services.units import adminunit_close, adminunit_create, adminunit_update
from villages.services.villages import (
    ImportRefused,
    import_flow,
    village_create,
    village_import,
    village_import_save,
    village_update,
    villageyear_save,
)

__all__ = [
    "ImportRefused",
    "adminunit_close",
    "adminunit_create",
    "adminunit_update",
    "import_flow",
    "village_create",
    "village_import",
    "village_import_save",
    "village_update",
    "villages_saved_in_bulk",
    "villageyear_save",
]
