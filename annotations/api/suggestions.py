"""Suggested claims over the API (issue 14).

    GET  /api/v1/articles/{id}/suggestions/ → the current revision's open suggestions, best
         first, as one plain list (a revision has at most a few hundred): the article, the
         revision (id and number) and each suggestion's selector, sentence, score and reason.
    POST /api/v1/suggestions/{id}/accept → 201 with the new draft claim (as POST /claims/).
    POST /api/v1/suggestions/{id}/dismiss → 200 with the suggestion, now dismissed.

Refusals: 403 without a role, 404 for an unknown id, 409 when the suggestion was already
accepted (naming the claim), was dismissed (accept), or belongs to an older revision.
Thin views on `annotations.services.suggestions` and `annotations.selectors.suggestions`,
the ones the workspace uses.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.access import get_article_for, get_suggestion_for
from annotations.api.claims import ClaimSerializer, SelectorSerializer, claim_etag
from annotations.api.examples import suggestions as examples
from annotations.api.permissions import IsNewsroomMember, person
from annotations.api.serializers import ModelSerializer
from annotations.models import Suggestion
from annotations.selectors.claims import claims_with_sources_and_reviews
from annotations.selectors.suggestions import suggestions_for_revision
from annotations.services.suggestions import suggestion_accept, suggestion_dismiss


class SuggestionSerializer(ModelSerializer):
    """A check-worthy span of the revision, its sentence, score and reason."""

    selector = SelectorSerializer(source="*", read_only=True)
    sentence = serializers.SerializerMethodField(
        help_text="The sentence around the span, white space collapsed: the statement an "
        "accepted claim starts with."
    )
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "selector", "sentence", "score", "reason", "reason_label", "status"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_sentence(self, suggestion: Suggestion) -> str:
        # The list passes the revision's text once; a single suggestion has its revision.
        text = self.context.get("text")
        if text is None:
            text = suggestion.revision.text
        return " ".join(text[suggestion.sentence_start : suggestion.sentence_end].split())


class SuggestionListSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    revision = serializers.IntegerField(allow_null=True)
    revision_number = serializers.IntegerField(allow_null=True)
    suggestions = SuggestionSerializer(many=True)


_ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="`detail` says why.")


class ArticleSuggestionList(APIView):
    """The current revision's open suggestions, best first, leaving out those that overlap
    a live claim (someone already marked those words) and those dismissed."""

    permission_classes = [IsNewsroomMember]

    @extend_schema(
        summary="List an article's suggested claims",
        responses={200: SuggestionListSerializer, 403: _ERROR, 404: _ERROR},
        examples=examples.SUGGESTION_LIST,
    )
    def get(self, request: Request, article_id: int) -> Response:
        article = get_article_for(request.user, article_id)
        revision = article.current_revision
        body: dict[str, Any] = {
            "article": article.pk,
            "revision": revision.pk if revision else None,
            "revision_number": revision.number if revision else None,
            "suggestions": [],
        }
        if revision is not None:
            found = suggestions_for_revision(revision)
            body["suggestions"] = SuggestionSerializer(
                found, many=True, context={"text": revision.text}
            ).data
        return Response(body)


class SuggestionAccept(APIView):
    """Accept a suggestion: a draft claim on its words, the sentence as its statement."""

    permission_classes = [IsNewsroomMember]

    @extend_schema(
        summary="Accept a suggested claim",
        request=None,
        responses={201: ClaimSerializer, 403: _ERROR, 404: _ERROR, 409: _ERROR},
        examples=examples.SUGGESTION_ACCEPT,
    )
    def post(self, request: Request, suggestion_id: int) -> Response:
        suggestion = get_suggestion_for(
            request.user, suggestion_id, write=True, queryset=Suggestion.objects.all()
        )
        claim = suggestion_accept(suggestion=suggestion, user=person(request))
        claim = claims_with_sources_and_reviews().get(pk=claim.pk)
        body = ClaimSerializer(claim, context={"request": request}).data
        headers = {"Location": body["url"], "ETag": claim_etag(claim)}
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)


class SuggestionDismiss(APIView):
    """Dismiss a suggestion: it is hidden for this article, and stays dismissed in later
    revisions where its words did not change. Dismissing it again changes nothing."""

    permission_classes = [IsNewsroomMember]

    @extend_schema(
        summary="Dismiss a suggested claim",
        request=None,
        responses={200: SuggestionSerializer, 403: _ERROR, 404: _ERROR, 409: _ERROR},
        examples=examples.SUGGESTION_DISMISS,
    )
    def post(self, request: Request, suggestion_id: int) -> Response:
        suggestion = get_suggestion_for(
            request.user, suggestion_id, write=True, queryset=Suggestion.objects.all()
        )
        dismissed = suggestion_dismiss(suggestion=suggestion, user=person(request))
        return Response(SuggestionSerializer(dismissed).data)
