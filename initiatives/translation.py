from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from core.history import RestorableHistory

from .models import Initiative, PartnerAgency


@register(PartnerAgency)
class PartnerAgencyTranslationOptions(TranslationOptions):
    fields = ("name", "abbreviation")


@register(Initiative)
class InitiativeTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "summary", "body")
    required_languages = ("en", "fr")


# History is registered after translation so that each language's columns
# are kept in every version.
register_history(PartnerAgency, bases=[RestorableHistory])
register_history(Initiative, m2m_fields=["partners"], bases=[RestorableHistory])
