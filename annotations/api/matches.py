""" "Checked before?" over the API (issue 13): earlier checks a claim or a text matches.

    GET  /api/v1/claims/{id}/matches/ → `{"query", "results"}`: the claim's query (statement,
         the sentence around its quote, claimant) and its top 5 earlier checks, each with
         the answer recorded for this claim, if any. A check someone confirmed stays listed.
    POST /api/v1/claims/{id}/matches/ → record an answer: `{"known_check": 12}` or
         `{"claim": 34}` (one of our published checks), `"decision": "same" | "not_same"`,
         optional `"score"`. 201 with the answer when it is new, 200 when it changed one.
    GET  /api/v1/matches/?q=TEXT&lang=xx → `{"query", "language", "results"}`, for a CMS
         asking about a sentence before anything is highlighted.

A match means the same topic, not agreement: `rating` is the earlier verdict in its
publisher's words. Nothing is linked unless a person answers "same". Reading is for
newsroom members, as reading the claim is (`annotations.access`); answering for editors and
reviewers (`services.matching.match_decide` decides). Thin views on
`selectors.matches` and `services.matching`, the ones the claim panel uses.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import limits
from annotations.access import get_claim_for
from annotations.api.claims import MATCH_KINDS, StrictInput
from annotations.api.examples import matches as examples
from annotations.api.permissions import IsNewsroomMember, person
from annotations.models import Claim, ClaimMatch, KnownCheck, MatchDecision
from annotations.selectors.matches import (
    KNOWN_CHECK,
    OUR_CHECK,
    Match,
    claim_query,
    matches_for_claim,
    matches_for_text,
)
from annotations.services.errors import InvalidInput
from annotations.services.matching import match_decide

# --- output --------------------------------------------------------------------------------


class MatchSerializer(serializers.Serializer):
    """One earlier check, as the claim panel's "Checked before?" shows it."""

    kind = serializers.ChoiceField(choices=MATCH_KINDS)
    id = serializers.IntegerField(
        help_text="The known check's id (kind known_check) or our claim's (kind our_check): "
        "what `POST …/matches/` takes as `known_check` or `claim`."
    )
    score = serializers.FloatField(
        help_text="1.0 is first by words and by meaning; for reading only, nothing is "
        "linked on a score."
    )
    claim_reviewed = serializers.CharField()
    claimant = serializers.CharField()
    rating = serializers.CharField(
        source="rating_text",
        help_text="The earlier verdict in its publisher's words: a match means the same "
        "topic, not agreement.",
    )
    publisher = serializers.CharField()
    date = serializers.DateField(allow_null=True, help_text="When the check was published.")
    url = serializers.CharField(
        help_text="The check itself; for ours, the public page's `#claim-<id>`."
    )
    language = serializers.CharField(help_text="BCP 47; blank when unknown.")
    decision = serializers.ChoiceField(
        choices=MatchDecision.choices,
        allow_null=True,
        help_text="The answer recorded for this claim, if any.",
    )
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    article_title = serializers.SerializerMethodField(
        help_text="For our own checks, the article it was published in; null otherwise."
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_article_title(self, match: Match) -> str | None:
        return match.article_title if match.kind == OUR_CHECK else None


class ClaimMatchesSerializer(serializers.Serializer):
    query = serializers.CharField(
        help_text="What was searched: the claim's statement, the sentence around its quote "
        "and its claimant."
    )
    results = MatchSerializer(many=True)


class TextMatchesSerializer(ClaimMatchesSerializer):
    language = serializers.CharField(help_text="The `lang` asked for; blank for any.")


class AnswerSerializer(serializers.Serializer):
    """A person's answer for one claim and one earlier check."""

    claim = serializers.IntegerField(source="claim_id", help_text="The claim answered for.")
    kind = serializers.SerializerMethodField()
    id = serializers.SerializerMethodField(help_text="The earlier check, as in the results.")
    decision = serializers.ChoiceField(choices=MatchDecision.choices)
    score = serializers.FloatField(allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username")
    decided_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(choices=MATCH_KINDS))
    def get_kind(self, answer: ClaimMatch) -> str:
        return KNOWN_CHECK if answer.known_check_id is not None else OUR_CHECK

    @extend_schema_field(OpenApiTypes.INT)
    def get_id(self, answer: ClaimMatch) -> int | None:
        return answer.known_check_id or answer.earlier_claim_id


# --- input ---------------------------------------------------------------------------------


class AnswerInput(StrictInput):
    known_check = serializers.PrimaryKeyRelatedField(
        queryset=KnownCheck.objects.defer("embedding"),
        required=False,
        allow_null=True,
        help_text="The known check this claim repeats (or not); or give `claim`.",
        error_messages={"does_not_exist": "There is no known check with id {pk_value}."},
    )
    claim = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(),
        required=False,
        allow_null=True,
        help_text="One of our published checks this claim repeats (or not); or give `known_check`.",
        error_messages={"does_not_exist": "There is no claim with id {pk_value}."},
    )
    decision = serializers.ChoiceField(
        choices=MatchDecision.choices,
        help_text="`same`: the same claim, checked before; `not_same`: only alike.",
        error_messages={
            "invalid_choice": "“{input}” is not an answer; say same (same claim) or "
            "not_same (not the same)."
        },
    )
    score = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=1,
        help_text="The match's score as it was shown, kept for judging the matcher.",
    )


#: A BCP 47-shaped tag: a 2–3 letter language, then subtags ("pt-BR", "zh-Hant-TW").
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


class TextQueryInput(serializers.Serializer):
    q = serializers.CharField(
        max_length=limits.MATCH_QUERY,
        help_text=f"The text to match: a sentence or two (at most {limits.MATCH_QUERY:,} "
        "characters).",
        error_messages={
            "required": "Give the text to match in `q`.",
            "blank": "`q` is blank; give the text to match.",
            "max_length": f"`q` is at most {limits.MATCH_QUERY:,} characters; match one "
            "claim at a time.",
        },
    )
    lang = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=limits.LANGUAGE_TAG,
        validators=[RegexValidator(LANGUAGE_TAG)],
        help_text='A BCP 47 language tag ("es", "pt-BR"): keeps known checks in that '
        "language and those of unknown language. Default: any.",
        error_messages={"max_length": "`lang` is a language tag like en, es or pt-BR."},
    )

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            raise _first_error(error, data) from None


def _first_error(error: serializers.ValidationError, data: Any) -> InvalidInput:
    """The query's first problem as `{"detail": ..., "<param>": [...]}`, like a service's."""
    detail = error.detail if isinstance(error.detail, dict) else {"q": error.detail}
    name, messages = next(iter(detail.items()))
    message = str(messages[0])
    if name == "lang" and not message.startswith("`lang`"):
        given = str(data.get("lang", ""))[:40]
        message = f"`lang` must be a language tag like en, es or pt-BR; got “{given}”."
    return InvalidInput(message, field=name)


# --- views ---------------------------------------------------------------------------------

_ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="`detail` says why.")


class ClaimMatchList(APIView):
    """A claim's earlier checks, and the answers people give about them."""

    permission_classes = [IsNewsroomMember]

    @extend_schema(
        summary="Earlier checks of a claim (Checked before?)",
        description="The top 5 earlier checks (other fact-checkers' known checks and our own "
        "published checks), best first, each with this claim's recorded answer; a check "
        "someone confirmed stays listed. The claim itself is never its own match. 403 "
        "without a role, 404 for an unknown or deleted claim.",
        responses={200: ClaimMatchesSerializer, 403: _ERROR, 404: _ERROR},
        examples=examples.CLAIM_MATCHES,
    )
    def get(self, request: Request, claim_id: int) -> Response:
        claim = get_claim_for(
            request.user, claim_id, queryset=Claim.objects.select_related("revision")
        )
        body = {"query": claim_query(claim), "results": matches_for_claim(claim)}
        return Response(ClaimMatchesSerializer(body).data)

    @extend_schema(
        summary="Answer: is this earlier check the same claim?",
        description="Records (or changes) a person's answer for this claim and one earlier "
        "check: `known_check` or `claim` (one of our published checks), never both. "
        "`same` links them (shown on both sides, and in the exports); `not_same` keeps "
        "the check from being offered as new again. 201 when the answer is new, 200 when "
        "it changed one. Editors and reviewers. 400 names the bad field (an unknown known "
        "check, a claim that is not published, the claim itself) and nothing is written; "
        "409 for a deleted claim.",
        request=AnswerInput,
        responses={200: AnswerSerializer, 201: AnswerSerializer, 400: _ERROR, 409: _ERROR},
        examples=examples.ANSWER,
    )
    def post(self, request: Request, claim_id: int) -> Response:
        # A deleted claim is loaded so that the service can say why it takes no answer.
        claim = get_claim_for(request.user, claim_id, with_deleted=True)
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        target = {
            "known_check": values.get("known_check"),
            "earlier_claim": values.get("claim"),
        }
        # Only to choose 201 or 200; the service's update_or_create decides what is written.
        answered = ClaimMatch.objects.filter(
            claim=claim, **{k: v for k, v in target.items() if v is not None}
        ).exists()
        answer = match_decide(
            claim=claim,
            user=person(request),
            decision=values["decision"],
            score=values.get("score"),
            **target,
        )
        code = status.HTTP_200_OK if answered else status.HTTP_201_CREATED
        return Response(AnswerSerializer(answer).data, status=code)


class TextMatchList(APIView):
    """Earlier checks of any text: a CMS asking about a sentence as a writer types it."""

    permission_classes = [IsNewsroomMember]

    @extend_schema(
        summary="Earlier checks of a text (Checked before?)",
        description="The top 5 earlier checks of `q`, best first. `lang` keeps known checks "
        "in that language (and those of unknown language); our own checks are always "
        "searched. 400 naming `q` when it is missing, blank or too long, and `lang` when "
        "it is not a language tag.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="The text."),
            OpenApiParameter(
                "lang", OpenApiTypes.STR, description='A language tag: "es", "pt-BR".'
            ),
        ],
        responses={200: TextMatchesSerializer, 400: _ERROR, 403: _ERROR},
        examples=examples.TEXT_MATCHES,
    )
    def get(self, request: Request) -> Response:
        params = TextQueryInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        text = params.validated_data["q"]
        language = params.validated_data.get("lang", "")
        body = {
            "query": text,
            "language": language,
            "results": matches_for_text(text, language=language),
        }
        return Response(TextMatchesSerializer(body).data)
