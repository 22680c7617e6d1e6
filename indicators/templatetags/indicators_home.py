from django import template

register = template.Library()


@register.simple_tag
def headline_indicators():
    return ""
