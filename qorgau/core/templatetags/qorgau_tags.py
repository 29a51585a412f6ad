"""Template helpers of the UI shell: `{% load qorgau_tags %}`.

- `{% bootstrap_widget field %}`: the field's widget with Bootstrap's classes; `is-invalid` when the
  field has errors. Django itself adds `aria-invalid` and `aria-describedby` (help text, errors).
"""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


def widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


@register.simple_tag
def bootstrap_widget(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), widget_class(widget)]
    if field.errors:
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c)})


@register.simple_tag
def bootstrap_choice(choice: forms.boundfield.BoundWidget, field: forms.BoundField) -> SafeString:
    """One radio button or checkbox of a multiple-choice field, with Bootstrap's classes."""
    attrs = choice.data["attrs"]
    classes = [attrs.get("class", ""), "form-check-input", "is-invalid" if field.errors else ""]
    attrs["class"] = " ".join(c for c in classes if c)
    return choice.tag(wrap_label=False)


@register.filter
def anchor_id(field: forms.BoundField) -> str:
    """The id an error summary links to: the field's input, or the first option of a choice group."""
    if field.id_for_label:
        return field.id_for_label
    for choice in field.subwidgets:
        if choice.id_for_label:
            return choice.id_for_label
    return field.auto_id or ""


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def uses_fieldset(field: forms.BoundField) -> bool:
    return bool(field.use_fieldset)


@register.filter
def has_required_fields(form: forms.BaseForm) -> bool:
    return any(field.field.required for field in form.visible_fields())
