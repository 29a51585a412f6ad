from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from qorgau.core.permissions import has_action

from .registry import NOTICES


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not has_action(request.user, "noticeboard.view"):
        raise PermissionDenied
    return HttpResponse("\n".join(NOTICES), content_type="text/plain")
