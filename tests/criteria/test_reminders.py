from io import StringIO

from django.core import mail
from django.core.management import call_command

from criteria import services
from criteria.models import Survey
from tests.criteria.conftest import all_met


def test_one_digest_per_person(world, liaison, commune_officer, staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    liaison.email, commune_officer.email, staff.email = "a@x.vn", "b@x.vn", "c@x.vn"
    for user in (liaison, commune_officer, staff):
        user.save()
    returned = services.survey_start(user=liaison, village=world.village, year=2025)
    returned = services.survey_save_values(
        user=liaison, survey=returned, version=returned.version, values=all_met(returned)
    )
    services.survey_submit(user=liaison, survey=returned)
    services.survey_return(user=commune_officer, survey=returned, reason="Thiếu số liệu")
    waiting = services.survey_start(user=liaison, village=world.second, year=2025)
    waiting = services.survey_save_values(
        user=liaison, survey=waiting, version=waiting.version, values=all_met(waiting)
    )
    services.survey_submit(user=liaison, survey=waiting)

    out = StringIO()
    call_command("send_survey_reminders", "--year", "2025", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert "2 digest" in out.getvalue()

    call_command("send_survey_reminders", "--year", "2025", stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.vn", "b@x.vn"]
    to_liaison = next(m for m in mail.outbox if m.to == ["a@x.vn"])
    assert "Làng Kon Năng" in to_liaison.body  # returned
    to_commune = next(m for m in mail.outbox if m.to == ["b@x.vn"])
    assert "Làng Tu Mơ" in to_commune.body and "Làng Kon Năng" not in to_commune.body
    assert Survey.objects.count() == 2


def test_a_liaison_with_many_missing_surveys_gets_one_message(world, liaison, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    liaison.email = "a@x.vn"
    liaison.save()
    call_command("send_survey_reminders", "--year", "2026", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert "Làng Kon Năng" in mail.outbox[0].body and "Làng Tu Mơ" in mail.outbox[0].body
