"""Import of the programme's real data (public site + 2019 report); see ``load.import_eig_data``."""

from .load import REPORT_SOURCE, import_eig_data, profile_from_job
from .matching import TITLE_ALIASES, normalise_title
from .report import ImportDataError, ImportReport
from .sources import read_eig_data

__all__ = [
    "REPORT_SOURCE",
    "TITLE_ALIASES",
    "ImportDataError",
    "ImportReport",
    "import_eig_data",
    "normalise_title",
    "profile_from_job",
    "read_eig_data",
]
