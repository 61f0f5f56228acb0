"""Panels that other apps add to the village page.

Each entry is a template name; ``villages/village_detail.html`` includes them in order, below
the statistics, with the page's context: ``village``, ``can_edit`` (may this user change the
village's data), ``is_staff`` and ``user``. A panel template gets its data from ``village``
(for example ``village.assignments.all``); an app that needs more adds it here as a template
that uses only what the village gives.
"""

VILLAGE_PANELS: list[str] = []
