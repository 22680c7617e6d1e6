from django import template

from ..models import Document

register = template.Library()

HOME_COUNT = 5


@register.inclusion_tag("documents/_home.html", takes_context=True)
def latest_documents(context):
    """The newest documents the visitor may read (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    documents = Document.objects.visible_to(user).for_list()[:HOME_COUNT]
    return {"documents": list(documents)}
