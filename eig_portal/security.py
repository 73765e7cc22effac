"""Account security shared by every page: login throttling keys, staff session length, staff
two-factor authentication, and the admin's sign-in going through the portal's login page.

- Login throttling is django-axes (settings ``AXES_*``): these functions tell it who tries
  (the typed address, lower-cased) and from where (the client address, through the TLS proxy
  only when ``BEHIND_TLS_PROXY``).
- Staff sessions end ``STAFF_SESSION_HOURS`` after login, whatever « remember me » said.
- Staff without an authenticator app (TOTP) are sent to its set-up page when
  ``STAFF_REQUIRE_2FA`` (default: when DEBUG is off), except on the account pages themselves.
"""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

STAFF_LOGIN_AT = "staff_login_at"  # session key: login time, POSIX seconds


def login_identifier(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """The account a login attempt targets, as django-axes keys it: the typed email address (or
    username on a username form), stripped and lower-cased so « Agent@X.fr » and « agent@x.fr »
    count together. ``None`` when the attempt names no account."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("login") or data.get("username")
    value = str(value or "").strip().lower()
    return value or None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address: ``REMOTE_ADDR``, or behind the TLS proxy (``BEHIND_TLS_PROXY``)
    the last address of ``X-Forwarded-For`` — the one the proxy itself appended, which a client
    cannot forge (earlier entries can be)."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def reset_login_failures(request: HttpRequest, user) -> None:
    """Forget the failed attempts of this client on this account after a successful login (so
    the owner's earlier typos do not count towards a later lockout). Other clients' failures on
    the same account are kept."""
    from axes.handlers.proxy import AxesProxyHandler

    ip_address = client_ip(request)
    for identifier in {user.email.lower(), user.get_username().lower()} - {""}:
        AxesProxyHandler.reset_attempts(ip_address=ip_address, username=identifier)


def staff_session_deadline(request: HttpRequest) -> datetime | None:
    """When the current staff session ends: login time + ``STAFF_SESSION_HOURS``; ``None`` when
    the session holds no staff login time."""
    started = request.session.get(STAFF_LOGIN_AT)
    if started is None:
        return None
    return datetime.fromtimestamp(started, tz=timezone.get_current_timezone()) + timedelta(
        hours=settings.STAFF_SESSION_HOURS
    )


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: reset this client's login failures; for staff, record the
    login time and end the session ``STAFF_SESSION_HOURS`` later."""
    if request is None or not hasattr(request, "session"):
        return
    reset_login_failures(request, user)
    if user.is_staff:
        request.session[STAFF_LOGIN_AT] = timezone.now().timestamp()
        request.session.set_expiry(staff_session_deadline(request))


class StaffSessionMiddleware:
    """Staff sessions last at most ``STAFF_SESSION_HOURS`` (12 by default) from login.

    Before the view: an older staff session is logged out and sent to the login page. After the
    view: the session's expiry is (re)set to the deadline when something else changed it (allauth
    sets 14 days or « until the browser closes » right after login). Other users keep Django's
    ``SESSION_COOKIE_AGE``.
    """

    def __init__(self, get_response):
        """Standard middleware constructor."""
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Log out an expired staff session; otherwise pin its expiry to the deadline."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            if STAFF_LOGIN_AT not in request.session:
                # Staff rights given during the session: count from now.
                request.session[STAFF_LOGIN_AT] = timezone.now().timestamp()
            if timezone.now() >= staff_session_deadline(request):
                logout(request)
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            deadline = staff_session_deadline(request)
            if deadline and request.session.get("_session_expiry") != deadline.isoformat():
                request.session.set_expiry(deadline)
        return response


def has_totp(user) -> bool:
    """Whether ``user`` has activated an authenticator app (allauth.mfa TOTP). One query."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    """With ``STAFF_REQUIRE_2FA``, a staff member without an authenticator app is redirected to
    its set-up page (« Activer l'application d'authentification ») from every page but the
    account pages (``/comptes/``: login, logout, set-up, recovery codes), language switch and
    static files — so no admin or staff page is reachable with a password alone."""

    def __init__(self, get_response):
        """Standard middleware constructor."""
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Redirect a staff member without TOTP to the set-up page, keeping where they went."""
        user = getattr(request, "user", None)
        if (
            settings.STAFF_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not self._exempt(request.path)
            and not has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        """Pages a staff member needs to set up TOTP (or to leave)."""
        prefixes = (
            reverse("account_login").rsplit("/", 2)[0] + "/",  # /comptes/
            "/i18n/",
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        return path.startswith(prefixes)


def admin_login_redirect(request: HttpRequest) -> HttpResponse:
    """``/admin/login/``: the admin signs in through the portal's login page, so that login
    throttling and two-factor authentication apply; ``next`` is kept (default: the admin index).

    A signed-in staff member goes straight to ``next``; a signed-in non-staff user gets 403
    (sending them to the login page would loop, since they are already logged in)."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if not request.user.is_staff:
            raise PermissionDenied
        return redirect(next_url)
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
