from typing import Any

from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from qorgau.core.permissions import has_action

from .registry import NOTICES


class NoticeViewSet(viewsets.ViewSet):
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_action(request.user, "noticeboard.view"):
            raise PermissionDenied
        return Response([{"title": title} for title in NOTICES])


def register(router: DefaultRouter) -> None:
    router.register("noticeboard/notices", NoticeViewSet, basename="notice")
