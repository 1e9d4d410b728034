from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from core.history import RestorableHistory

from .models import Department, Menu, MenuLink, StandardPage


@register(Department)
class DepartmentTranslationOptions(TranslationOptions):
    fields = ("name", "abbreviation")
    required_languages = ("en", "fr")


@register(Menu)
class MenuTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(MenuLink)
class MenuLinkTranslationOptions(TranslationOptions):
    fields = ("label", "url")
    required_languages = ("en", "fr")


@register(StandardPage)
class StandardPageTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "summary", "body")
    required_languages = ("en", "fr")


# History is registered after translation so that each language's columns
# are kept in every version.
register_history(StandardPage, bases=[RestorableHistory])
register_history(Menu, bases=[RestorableHistory])
register_history(MenuLink, bases=[RestorableHistory])
