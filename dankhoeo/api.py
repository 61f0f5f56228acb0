"""The JSON API's frame: token authentication, the rate limit per token, pagination and the
JSON errors. Each app describes its own endpoints in its ``api.py``; ``dankhoeo/urls.py``
mounts them under ``/api/v1/``.

Errors are always JSON ``{"detail": "...", "errors": [{"field": ..., "message": ...}]}``:
400 (bad input, with the field), 401 (no token, unknown or revoked token), 403 (the token's
user may not), 404 (missing or outside the user's scope: the two look the same), 409 (a stale
write or a state that refuses it), 429 (rate limit), and 500 without a traceback.
"""

import logging
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer
from pydantic import AfterValidator

from dankhoeo import audit, bounds, tokens
from dankhoeo.models import AuditEvent
from dankhoeo.money import format_number
from dankhoeo.text import clean_input

logger = logging.getLogger(__name__)

# A text of a body that no form reads (the others go through the web's forms): cleaned as a
# form cleans it (``dankhoeo.text.clean_input``: no NUL or other control character is stored).
Text = Annotated[str, AfterValidator(clean_input)]
LongText = Annotated[str, AfterValidator(lambda text: clean_input(text, multiline=True))]

# A year in a query string or a body: within the one bound of every year (a 400 outside it).
Year = Annotated[int, Field(ge=bounds.YEAR.minimum, le=bounds.YEAR.maximum)]


class Pagination(PageNumberPagination):
    """?page=1&page_size=50, at most NINJA_MAX_PER_PAGE_SIZE a page and ``bounds.PAGE`` pages:
    a page number past it is a 400, never an offset the database cannot hold."""

    class Input(Schema):
        page: int = Field(1, ge=bounds.PAGE.minimum, le=bounds.PAGE.maximum)
        page_size: int | None = Field(None, ge=1)


class ApiError(HttpError):
    """An error with a status and a message, and optionally more JSON (e.g. what changed)."""

    def __init__(self, status_code: int, message: str, **extra) -> None:
        super().__init__(status_code, str(message))
        self.extra = extra


class RateLimited(HttpError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429, _("Too many requests: wait %(seconds)s s.") % {"seconds": retry_after}
        )
        self.retry_after = retry_after


def check_rate(token_id: int) -> None:
    """At most API_RATE_LIMIT requests a minute per token, counted in the shared cache."""
    window = int(timezone.now().timestamp()) // 60
    key = f"api-rate:{token_id}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > settings.API_RATE_LIMIT:
        raise RateLimited(retry_after=60 - int(timezone.now().timestamp()) % 60)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer dk_…``: the request then acts as the token's user, so that the
    access policy, the services and the history see that user."""

    def authenticate(self, request, token: str):
        found = tokens.api_token_authenticate(token)
        if found is None:
            return None
        check_rate(found.pk)
        request.user = found.user
        request.api_token = found
        return found


def record_write(request, target, detail: str) -> None:
    """The security log's line for a change made through the API, naming the token."""
    token = getattr(request, "api_token", None)
    audit.record(
        actor=request.user,
        kind=AuditEvent.Kind.API_WRITE,
        target=target,
        detail=f"{detail} (token {token.prefix if token else '?'})",
        request=request,
    )


def field_errors(error: DjangoValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": message} for message in error.messages]


def _error(api, request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _validation(request, exc: ValidationError):
    errors = []
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        if location and location[0] in ("query", "path"):
            location = location[1:]
        errors.append({"field": ".".join(location) or None, "message": item.get("msg", "")})
    return _error(api, request, 400, _("Some values are not valid."), errors=errors)


def _domain(request, exc: DjangoValidationError):
    errors = field_errors(exc)
    return _error(api, request, 400, errors[0]["message"], errors=errors)


def _http(request, exc: HttpError):
    message = exc.message
    if message.startswith("Cannot parse request body"):  # django-ninja's own, in English
        message = _("The body of the request is not valid JSON.")
    response = _error(api, request, exc.status_code, message, **getattr(exc, "extra", {}))
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _unauthenticated(request, exc):
    response = _error(api, request, 401, _("Give a valid API token: Authorization: Bearer dk_…"))
    response["WWW-Authenticate"] = "Bearer"
    return response


def _unexpected(request, exc):
    logger.exception("API error on %s", request.path, exc_info=exc)
    return _error(api, request, 500, _("Server error: the change, if any, was not saved."))


class Api(NinjaAPI):
    """Every URL of the API is reachable without a session: the token is the login."""

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = login_not_required(pattern.callback)
        return patterns


api = Api(
    title="dankhoeo API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Read and write the data of Plan 133-KH/TU as the token's user sees it on the web "
        "pages. Send `Authorization: Bearer <token>`; make a token on your account page."
    ),
    auth=TokenAuth(),
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_exception_handler(ValidationError, _validation)
api.add_exception_handler(DjangoValidationError, _domain)
api.add_exception_handler(HttpError, _http)
api.add_exception_handler(AuthenticationError, _unauthenticated)
api.add_exception_handler(Http404, lambda request, exc: _error(api, request, 404, _("Not found.")))
api.add_exception_handler(
    PermissionDenied,
    lambda request, exc: _error(api, request, 403, _("Your account may not do this.")),
)
api.add_exception_handler(
    RequestDataTooBig,
    lambda request, exc: _error(
        api,
        request,
        413,
        _("The request is larger than %(size)s MB.")
        % {"size": format_number(round(Decimal(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) / 2**20, 1))},
    ),
)
api.add_exception_handler(Exception, _unexpected)
