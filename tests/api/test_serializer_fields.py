"""Every model serializer of the API works out its model's fields once per class (issue
17; annotations/api/serializers.py): each instance must still get the fields DRF itself
would build, as objects of its own."""

from __future__ import annotations

import pytest
from rest_framework import serializers

import annotations.api.urls  # noqa: F401  (imports every serializer of the API)
from annotations.api.articles import ArticleSerializer, ArticleWithClaimsSerializer
from annotations.api.serializers import ModelSerializer


def every_subclass(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *every_subclass(sub)]
    return found


SERIALIZERS = sorted(set(every_subclass(ModelSerializer)), key=lambda c: c.__qualname__)


def test_the_api_serializers_are_all_found():
    names = {cls.__name__ for cls in SERIALIZERS}
    assert {"ArticleSerializer", "ClaimSerializer", "RevisionSerializer"} <= names
    plain = [
        cls.__name__
        for cls in every_subclass(serializers.ModelSerializer)
        if cls.__module__.startswith("annotations.") and not issubclass(cls, ModelSerializer)
    ]
    assert plain == [], "build these on annotations.api.serializers.ModelSerializer"


@pytest.mark.django_db  # a related field's repr shows its queryset
@pytest.mark.parametrize("cls", SERIALIZERS, ids=lambda c: c.__qualname__)
def test_fields_are_those_drf_builds(cls):
    for _ in range(2):  # the first builds the class's fields, the second copies them
        ours = cls().get_fields()
        drf = serializers.ModelSerializer.get_fields(cls())
        assert list(ours) == list(drf)
        assert {name: repr(field) for name, field in ours.items()} == {
            name: repr(field) for name, field in drf.items()
        }


def test_each_serializer_binds_fields_of_its_own():
    first, second = ArticleSerializer(), ArticleSerializer()
    for name in first.fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second
    # A nested serializer's fields are its own as well.
    revision = first.fields["current_revision"]
    assert revision.fields["text"] is not second.fields["current_revision"].fields["text"]


def test_the_model_is_read_once_per_class(monkeypatch):
    assert "claims" in ArticleWithClaimsSerializer().fields  # the class's fields are built
    calls = []
    original = serializers.ModelSerializer.build_field

    def counted(self, *args, **kwargs):
        calls.append(type(self).__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(serializers.ModelSerializer, "build_field", counted)
    for _ in range(3):
        assert "claims" in ArticleWithClaimsSerializer().fields
    assert calls == []
    # DRF's own path would have read the model again for each one.
    serializers.ModelSerializer.get_fields(ArticleWithClaimsSerializer())
    assert "ArticleWithClaimsSerializer" in calls
