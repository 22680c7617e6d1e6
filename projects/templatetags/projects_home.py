from django import template

register = template.Library()


@register.simple_tag
def key_projects():
    return ""
