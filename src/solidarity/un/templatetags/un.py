"""``{% load un %}``: the UN engagement partials for incident and party pages.

``{% reprisals_for_incident incident %}`` and ``{% reprisals_for_party party %}``
render for the signed-in user (``request.user``) through the access seam.
"""

from django import template

from solidarity.un import services

register = template.Library()


@register.inclusion_tag("un/_reprisals_for_incident.html", takes_context=True)
def reprisals_for_incident(context, incident):
    request = context["request"]
    return {
        **services.reprisals_for_incident(request.user, incident),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("un/_reprisals_for_party.html", takes_context=True)
def reprisals_for_party(context, party):
    request = context["request"]
    return {
        **services.reprisals_for_party(request.user, party),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
