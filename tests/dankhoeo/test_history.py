"""dankhoeo.history: the one place that says which fields changed between history rows."""

from types import SimpleNamespace as Row

from dankhoeo.history import history_steps


def test_each_row_is_compared_with_the_previous_row_of_the_same_object():
    rows = [
        Row(id=1, name="Thôn A", note=""),
        Row(id=2, name="Thôn B", note=None),
        Row(id=1, name="Thôn A", note="mới"),
        Row(id=2, name="Thôn B", note=None),
        Row(id=1, name="Thôn Á", note="mới"),
    ]
    steps = history_steps(rows, ["name", "note"])
    assert [step.before for step in steps] == [None, None, rows[0], rows[1], rows[2]]
    assert [step.changed for step in steps] == [["name"], ["name"], ["note"], [], ["name"]]


def test_a_first_row_changes_only_its_non_empty_fields():
    (step,) = history_steps([Row(id=7, name="", note=None, count=0)], ["name", "note", "count"])
    assert step.changed == ["count"]
