"""Template filters for uncertain dates, countries and vocabulary terms."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from solidarity.core.countries import country_name
from solidarity.lib.fuzzydate import FuzzyDate, Precision

register = template.Library()


@register.filter
def fuzzy(value: FuzzyDate | None) -> str:
    """A date in words at its own precision: "29 January 2016", "January 2016", "2016"."""
    if value is None or not value.is_known:
        return _("date unknown")
    low, _high = value.bounds()
    assert low is not None
    if value.precision == Precision.DAY:
        text = date_format(low, "DATE_FORMAT")
    elif value.precision == Precision.MONTH:
        text = date_format(low, "YEAR_MONTH_FORMAT")
    else:
        text = str(low.year)
    if value.estimated:
        return _("about %(date)s") % {"date": text}
    return text


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
