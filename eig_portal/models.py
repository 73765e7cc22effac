"""Models shared by the whole portal (no business data)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A counter bumped whenever a family of data changes (see ``eig_portal.data_versions``).

    ``key``: ``programme`` (promotions, people, défis, budget, calls and proposals) or
    ``surveys`` (questionnaires and their responses).
    """

    key = models.CharField(_("clé"), max_length=40, primary_key=True)
    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("version des données")
        verbose_name_plural = _("versions des données")

    def __str__(self):
        return f"{self.key} v{self.version}"
