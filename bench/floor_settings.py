"""Django's floor for the benchmark: one view, no middleware, no database, no templates.

bench/load.py serves it with the same gunicorn (same binary, workers and options) in the same
run as the app, so every page's time can be read against what Django itself costs here:

    gunicorn bench.floor_wsgi
"""

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = "bench-floor-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_I18N = False


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("floor", floor)]
