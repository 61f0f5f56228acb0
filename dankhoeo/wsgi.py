import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dankhoeo.settings")

try:
    application = get_wsgi_application()
    settings.SECRET_KEY  # noqa: B018 - refuse to serve without a key, not at the first request
except ImproperlyConfigured as error:
    sys.exit(f"Configuration error: {error}")
