"""Language selection: French by default, English only when the person chooses it."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Activate the language chosen with the header's switch (the language cookie), else French.

    Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``, so an English-set
    browser would get the English interface without asking; a French public service speaks
    French unless the person picks English (« Changer de langue » posts to ``set_language``,
    which sets the cookie).
    """

    def process_request(self, request):
        """Activate the cookie's language when it is one of ``LANGUAGES``, else ``LANGUAGE_CODE``."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
