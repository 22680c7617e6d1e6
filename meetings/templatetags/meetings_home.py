from django import template

register = template.Library()


@register.simple_tag
def latest_meetings():
    return ""
