"""The admin's rich-text editor for bodies kept as sanitised HTML."""

from django import forms
from django.templatetags.static import static

# The editor's bundle, from django-prose-editor (Tiptap and ProseMirror).
EDITOR_MODULE = "django_prose_editor/editor.js"


class RichTextWidget(forms.Textarea):
    """A textarea the admin turns into a rich-text editor; without script it stays a textarea.

    The package's own widget declares its modules through an inline import
    map, which the Content-Security-Policy refuses; this one hands the
    bundle's address to a static script that imports it, so every script is
    a file served by the site.
    """

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "css/richtext-editor.css",
            ]
        }
        js = [forms.Script("js/richtext-editor.js", type="module")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-rich-text-editor"] = static(EDITOR_MODULE)
        return context

    def use_required_attribute(self, initial):
        # The textarea is hidden behind the editor, where the browser could
        # not point at it; the server still checks the field.
        return False


def rich_text_overrides() -> dict:
    """`formfield_overrides` giving every rich-text body of a model admin the editor."""
    from .richtext import RichTextField

    return {RichTextField: {"widget": RichTextWidget}}
