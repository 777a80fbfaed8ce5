"""Source snapshots over the API (issue 15): the latest WARC, its text, and "archive again".

`GET /api/v1/sources/{id}/archive` serves the newest archived WARC file (`application/warc`)
and `…/archive.txt` its text; `POST …/archive` asks for a new snapshot (editors). A source
is seen through its claims (annotations.access.get_source_for): 403 without a role, 404 when
it is unknown or on no live claim, and a JSON 404 saying so when it has no snapshot yet.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import renderers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.access import get_source_for
from annotations.api.errors import JSONErrorsMixin
from annotations.api.permissions import IsNewsroomMember, person
from annotations.api.serializers import ModelSerializer
from annotations.models import SourceArchive
from annotations.selectors.archives import latest_archived
from annotations.services.archiving import archive_storage, source_archive_request

WARC = "application/warc"


class WARCRenderer(renderers.BaseRenderer):
    """Only for content negotiation and the schema: the view answers with the file."""

    media_type = WARC
    format = "warc"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class TextRenderer(renderers.BaseRenderer):
    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, str | bytes) else ""


class SourceArchiveSerializer(ModelSerializer):
    """One snapshot of a source: what the server answered, the hash, where the excerpt is."""

    class Meta:
        model = SourceArchive
        fields = [
            "id",
            "source",
            "status",
            "attempts",
            "failure_reason",
            "requested_at",
            "captured_at",
            "http_status",
            "content_type",
            "final_url",
            "sha256",
            "size",
            "text_note",
            "excerpt_state",
            "excerpt_start",
            "excerpt_end",
            "excerpt_how",
            "excerpt_confidence",
            "excerpt_reason",
            "text_fragment_url",
            "excerpt_lost",
        ]
        read_only_fields = fields


_ERROR = OpenApiResponse(description="Refused; `detail` says why.")
_NONE_YET = OpenApiResponse(
    description="The source has no archived snapshot yet (`detail` says so).",
    examples=[
        OpenApiExample(
            "No snapshot",
            value={"detail": "Source 7 has no archived snapshot yet."},
            status_codes=["404"],
        )
    ],
)


def _latest(request: Request, source_id: int) -> SourceArchive:
    source = get_source_for(request.user, source_id)
    archive = latest_archived(source.pk)
    if archive is None:
        raise NotFound(f"Source {source.pk} has no archived snapshot yet.")
    return archive


class SourceArchiveView(JSONErrorsMixin, APIView):
    permission_classes = [IsNewsroomMember]
    renderer_classes = [renderers.JSONRenderer, WARCRenderer]

    @extend_schema(
        summary="The source's latest snapshot (WARC)",
        description="The newest archived WARC file of the source's URL: a request record and "
        "a response record with the HTTP status line, headers and body (stored decoded: no "
        "Content-Encoding). Its sha256 is in the `X-Payload-SHA256` header.",
        responses={
            (200, WARC): OpenApiResponse(OpenApiTypes.BINARY, description="The WARC file."),
            403: _ERROR,
            404: _NONE_YET,
        },
    )
    def get(self, request: Request, source_id: int) -> HttpResponseBase:
        archive = _latest(request, source_id)
        try:
            handle = archive_storage().open(archive.warc_name, "rb")
        except FileNotFoundError:
            raise NotFound(
                f"The WARC file of snapshot {archive.pk} is missing from the archive storage."
            ) from None
        response = FileResponse(
            handle,
            content_type=WARC,
            as_attachment=True,
            filename=f"source-{archive.source_id}-snapshot-{archive.pk}.warc",
        )
        response["X-Payload-SHA256"] = archive.sha256
        return response

    @extend_schema(
        summary="Archive the source again",
        description="Takes a new snapshot of the source's URL on the job queue; earlier "
        "snapshots are kept. Answers 202 with the new snapshot (`status` pending until the "
        "job has run). Editors and reviewers only; 409 while a snapshot is still waiting.",
        request=None,
        responses={
            202: SourceArchiveSerializer,
            400: _ERROR,
            403: _ERROR,
            404: _ERROR,
            409: _ERROR,
        },
    )
    def post(self, request: Request, source_id: int) -> Response:
        source = get_source_for(request.user, source_id, write=True)
        archive = source_archive_request(source=source, user=person(request))
        archive.refresh_from_db()
        return Response(SourceArchiveSerializer(archive).data, status=status.HTTP_202_ACCEPTED)


class SourceArchiveText(JSONErrorsMixin, APIView):
    permission_classes = [IsNewsroomMember]
    renderer_classes = [TextRenderer, renderers.JSONRenderer]

    @extend_schema(
        summary="The text of the source's latest snapshot",
        description="The page's text as the archive job extracted it (HTML through the "
        "article extractor, plain text as sent). A snapshot of a PDF or an image has none: "
        "404 saying so.",
        responses={
            (200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description="The text."),
            403: _ERROR,
            404: _NONE_YET,
        },
    )
    def get(self, request: Request, source_id: int) -> HttpResponse:
        archive = _latest(request, source_id)
        if not archive.text:
            raise NotFound(
                f"The latest snapshot of source {archive.source_id} has no text. "
                f"{archive.text_note}".strip()
            )
        response = HttpResponse(archive.text, content_type="text/plain; charset=utf-8")
        response["X-Payload-SHA256"] = archive.sha256
        return response
