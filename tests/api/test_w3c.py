"""W3C Web Annotations: container, pages, one annotation, Prefer, headers, JSON-LD, import."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from pyld import jsonld

from annotations.models import Claim
from annotations.services import claims as claim_services
from tests.api.fixtures import helpers
from tests.api.fixtures.helpers import QUOTES, make_approved, make_claim, make_claims

ed_api = helpers.ed_api
outsider_api = helpers.outsider_api

pytestmark = pytest.mark.django_db

ANNO = "http://www.w3.org/ns/anno.jsonld"
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
CONTEXT = json.loads((Path(__file__).parent / "fixtures" / "anno.jsonld").read_text())
CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


FACTCHECK_CONTEXT = "http://testserver/ns/factcheck.jsonld"
STANCE = "http://testserver/ns/factcheck.jsonld#stance"


def local_loader(url, options=None):
    """Serve the W3C context from the vendored copy and the app's own context from the app
    (as a processor would fetch it); refuse any other fetch (no network)."""
    if url.rstrip("/") in {ANNO, "https://www.w3.org/ns/anno.jsonld"}:
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    if url == FACTCHECK_CONTEXT:
        from django.test import Client

        response = Client().get("/ns/factcheck.jsonld")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/ld+json"
        return {"contextUrl": None, "documentUrl": url, "document": json.loads(response.content)}
    raise AssertionError(f"JSON-LD tried to load {url}")


def expand(doc):
    return jsonld.expand(doc, {"documentLoader": local_loader})


def test_an_annotation_has_every_property_and_parses_as_json_ld(
    ed_api, demo_article, editor, reviewer
):
    claim = make_approved(demo_article, editor, reviewer, statement="Hit five times")
    response = ed_api.get(f"/api/v1/annotations/{claim.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["ETag"] == f'"claim-{claim.pk}-v{claim.version}"'
    assert '<http://www.w3.org/ns/ldp#Resource>; rel="type"' in response["Link"]
    assert "GET" in response["Allow"]
    assert "Accept" in response["Vary"]
    anno = json.loads(response.content)
    assert anno["@context"] == [ANNO, FACTCHECK_CONTEXT]
    assert anno["id"] == f"http://testserver/api/v1/annotations/{claim.pk}"
    assert anno["type"] == "Annotation"
    assert anno["motivation"] == "assessing"
    assert anno["created"] and anno["modified"]
    assert anno["creator"] == {"type": "Person", "nickname": "ed"}
    bodies = {b.get("label"): b for b in anno["body"]}
    assert bodies["verdict"]["type"] == "TextualBody"
    assert bodies["verdict"]["value"] == "Mostly true"
    assert bodies["explanation"]["value"].startswith("Hospital records")
    (source,) = [b for b in anno["body"] if b["type"] == "SpecificResource"]
    assert source == {
        "type": "SpecificResource",
        "purpose": "linking",
        "source": "https://example.org/hospital-briefing",
        "label": "Hospital briefing",
        "stance": "supports",
    }
    target = anno["target"]
    assert target["source"] == f"http://testserver/articles/{demo_article.pk}/"
    quote, position = target["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == QUOTES[0]
    assert position == {"type": "TextPositionSelector", "start": claim.start, "end": claim.end}

    (node,) = expand(anno)
    assert node["@type"] == [OA + "Annotation"]
    assert node[OA + "motivatedBy"] == [{"@id": OA + "assessing"}]
    assert OA + "hasBody" in node and OA + "hasTarget" in node
    target_node = node[OA + "hasTarget"][0]
    selectors = target_node[OA + "hasSelector"]
    types = {s["@type"][0] for s in selectors}
    assert types == {OA + "TextQuoteSelector", OA + "TextPositionSelector"}
    assert "http://purl.org/dc/terms/created" in node
    (linked,) = [b for b in node[OA + "hasBody"] if STANCE in b]
    assert linked[STANCE] == [{"@value": "supports"}]
    assert linked[OA + "hasSource"] == [{"@id": "https://example.org/hospital-briefing"}]


def test_the_article_url_is_the_target_when_the_article_has_one(ed_api, demo_article, editor):
    demo_article.url = "https://edition.example.com/defector"
    demo_article.save()
    claim = make_claim(demo_article, editor)
    anno = json.loads(ed_api.get(f"/api/v1/annotations/{claim.pk}").content)
    assert anno["target"]["source"] == "https://edition.example.com/defector"


def test_the_container_is_a_collection_with_first_last_and_total(ed_api, demo_article, editor):
    for quote in QUOTES[:3]:
        make_claim(demo_article, editor, quote)
    response = ed_api.get("/api/v1/annotations/?page_size=2")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    link = response["Link"]
    assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in link
    assert 'rel="http://www.w3.org/ns/ldp#constrainedBy"' in link
    assert response["ETag"]
    assert "POST" in response["Allow"] and "GET" in response["Allow"]
    assert "Accept" in response["Vary"]
    container = json.loads(response.content)
    assert container["type"] == "AnnotationCollection"
    assert container["total"] == 3
    assert container["first"]["type"] == "AnnotationPage"
    assert len(container["first"]["items"]) == 2
    assert container["first"]["items"][0]["type"] == "Annotation"
    assert container["last"].endswith("page=last")
    (node,) = expand(container)
    assert node["@type"] == [AS + "OrderedCollection"]
    assert node[AS + "totalItems"][0]["@value"] == 3

    page = json.loads(ed_api.get(container["last"]).content)
    assert page["type"] == "AnnotationPage"
    assert page["partOf"]["id"] == container["id"]
    assert page["partOf"]["total"] == 3
    assert page["startIndex"] == 2
    assert len(page["items"]) == 1
    assert "next" not in page
    first = json.loads(ed_api.get(container["first"]["id"]).content)
    assert _items(ed_api, first["next"]) == [a["id"] for a in page["items"]]
    assert _items(ed_api, page["prev"]) == [a["id"] for a in first["items"]]
    (page_node,) = expand(first)
    assert page_node["@type"] == [AS + "OrderedCollectionPage"]
    assert len(page_node[AS + "items"][0]["@list"]) == 2


def test_prefer_chooses_iris_or_descriptions(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    iris = json.loads(
        ed_api.get(
            "/api/v1/annotations/",
            HTTP_PREFER=f'return=representation;include="{OA}PreferContainedIRIs"',
        ).content
    )
    assert iris["first"]["items"] == [f"http://testserver/api/v1/annotations/{claim.pk}"]
    full = json.loads(
        ed_api.get(
            "/api/v1/annotations/?page=0",
            HTTP_PREFER=f'return=representation;include="{OA}PreferContainedDescriptions"',
        ).content
    )
    assert full["items"][0]["type"] == "Annotation"
    minimal = json.loads(
        ed_api.get(
            "/api/v1/annotations/",
            HTTP_PREFER='return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"',
        ).content
    )
    assert isinstance(minimal["first"], str)


@pytest.mark.parametrize("rows", [5, 50])
def test_container_query_count_does_not_grow(
    rows, ed_api, demo_article, editor, django_assert_num_queries
):
    make_claims(demo_article, editor, rows)
    # 5 queries: token+user+roles, COUNT of the live claims, the page of claims with
    # article/verdict/user, their sources, their confirmed earlier checks
    with django_assert_num_queries(5):
        response = ed_api.get(f"/api/v1/annotations/?page=0&page_size={rows}")
    assert len(json.loads(response.content)["items"]) == rows


def test_wrong_accept_is_406_with_a_clear_message(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    response = ed_api.get(f"/api/v1/annotations/{claim.pk}", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert "application/ld+json" in response.json()["detail"]
    ok = ed_api.get(f"/api/v1/annotations/{claim.pk}", HTTP_ACCEPT=CONTENT_TYPE)
    assert ok.status_code == 200


def _get(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def _items(api, url):
    return [item if isinstance(item, str) else item["id"] for item in _get(api, url)["items"]]


def _walk(api, url, link):
    """Follow `link` (next or prev) from `url` to the end: the pages met, in order."""
    pages = []
    while url:
        page = _get(api, url)
        pages.append(page)
        url = page.get(link)
    return pages


@pytest.mark.parametrize("count", [7, 6, 1, 0])
def test_walking_the_pages_meets_every_claim_once_either_way(count, ed_api, demo_article, editor):
    ids = [claim.pk for claim in make_claims(demo_article, editor, count)]
    expected = [f"http://testserver/api/v1/annotations/{pk}" for pk in ids]
    container = _get(ed_api, "/api/v1/annotations/?page_size=3")
    assert container["total"] == count

    forward = _walk(ed_api, container["first"]["id"], "next")
    assert [a["id"] for page in forward for a in page["items"]] == expected
    assert [page["startIndex"] for page in forward] == list(range(0, max(count, 1), 3))
    assert all(page["partOf"]["total"] == count for page in forward)
    assert "prev" not in forward[0] and "next" not in forward[-1]

    backward = _walk(ed_api, container["last"], "prev")[::-1]
    assert [a["id"] for page in backward for a in page["items"]] == expected
    # Read from either end, the pages are the same pages.
    assert [[a["id"] for a in p["items"]] for p in backward] == [
        [a["id"] for a in p["items"]] for p in forward
    ]
    assert [p["startIndex"] for p in backward] == [p["startIndex"] for p in forward]

    # next then prev (and prev then next) come back to the same page.
    for page in forward:
        here = [a["id"] for a in page["items"]]
        if "next" in page:
            assert _items(ed_api, _get(ed_api, page["next"])["prev"]) == here
        if "prev" in page:
            assert _items(ed_api, _get(ed_api, page["prev"])["next"]) == here


def test_pages_keep_the_filters_and_the_preference(ed_api, demo_article, editor, reviewer):
    approved = [make_approved(demo_article, editor, reviewer, q).pk for q in QUOTES[:3]]
    for quote in QUOTES[3:]:
        make_claim(demo_article, editor, quote)
    prefer = f'return=representation;include="{OA}PreferContainedIRIs"'
    url = "/api/v1/annotations/?status=approved&page_size=2&page=first"
    seen = []
    while url:
        assert "status=approved" in url and "page_size=2" in url
        page = json.loads(ed_api.get(url, HTTP_PREFER=prefer).content)
        seen += page["items"]
        assert page["partOf"]["total"] == 3
        url = page.get("next")
    assert seen == [f"http://testserver/api/v1/annotations/{pk}" for pk in approved]


def test_a_claim_added_while_walking_is_met_once(ed_api, demo_article, editor):
    ids = [make_claim(demo_article, editor, q).pk for q in QUOTES[:4]]
    first = _get(ed_api, "/api/v1/annotations/?page=first&page_size=2")
    ids.append(make_claim(demo_article, editor, QUOTES[4]).pk)  # keyset: no shift, no repeat
    rest = _walk(ed_api, first["next"], "next")
    walked = [a["id"] for page in [first, *rest] for a in page["items"]]
    assert walked == [f"http://testserver/api/v1/annotations/{pk}" for pk in ids]


@pytest.mark.parametrize("depth", [0, 5])
def test_a_deep_page_costs_what_the_first_costs(
    depth, ed_api, demo_article, editor, django_assert_num_queries
):
    make_claims(demo_article, editor, 12)
    url = "/api/v1/annotations/?page=first&page_size=2"
    for _ in range(depth):
        url = _get(ed_api, url)["next"]
    # 4 queries: token+user+roles, claims with article/verdict/user, their sources, their
    # confirmed earlier checks (a link carries the total: no COUNT); the first page adds the
    # COUNT (5)
    with django_assert_num_queries(5 if depth == 0 else 4):
        page = _get(ed_api, url)
    assert page["startIndex"] == depth * 2 and len(page["items"]) == 2


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "5",
        "-1",
        base64.urlsafe_b64encode(b"k1:after:12").decode(),
        base64.urlsafe_b64encode(b"k1:sideways:12:0:5").decode(),
        base64.urlsafe_b64encode(b"k1:after:-3:0:5").decode(),
        base64.urlsafe_b64encode(b"k1:after:99999999999999999999999:0:5").decode(),
        base64.urlsafe_b64encode(b"k0:after:1:0:5").decode(),
        base64.urlsafe_b64encode("k1:after:١:0:5".encode()).decode(),
        base64.urlsafe_b64encode(b"k1:after:1:0:-5").decode(),
        "%00",
    ],
)
def test_a_malformed_page_token_is_400_saying_what_to_do(token, ed_api, demo_article):
    response = ed_api.get("/api/v1/annotations/", {"page": token})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "not a page token this API handed out" in detail
    assert "follow the `next` and `prev` links" in detail


def test_bad_page_sizes_are_400(ed_api, demo_article):
    response = ed_api.get("/api/v1/annotations/?page_size=1000")
    assert response.status_code == 400
    assert "from 1 to 200" in response.json()["detail"]


def test_a_next_link_past_a_deleted_tail_is_an_empty_page(ed_api, demo_article, editor):
    make_claim(demo_article, editor, QUOTES[0])
    second = make_claim(demo_article, editor, QUOTES[1])
    first = _get(ed_api, "/api/v1/annotations/?page=first&page_size=1")
    claim_services.claim_delete(claim=second, user=editor)
    page = _get(ed_api, first["next"])
    assert page["items"] == [] and "next" not in page
    assert page["partOf"]["total"] == 2  # as counted when the walk began
    assert _get(ed_api, "/api/v1/annotations/?page=last")["partOf"]["total"] == 1


def test_outsider_is_refused(outsider_api, demo_article):
    assert outsider_api.get("/api/v1/annotations/").status_code == 403


def test_post_an_annotation_creates_a_draft_claim(ed_api, demo_article, editor):
    demo_article.url = "https://edition.example.com/defector"
    demo_article.save()
    annotation = {
        "@context": ANNO,
        "type": "Annotation",
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": "Six wounds, says the hospital."}],
        "target": {
            "source": "https://edition.example.com/defector",
            "selector": [{"type": "TextQuoteSelector", "exact": QUOTES[1]}],
        },
    }
    response = ed_api.post(
        "/api/v1/annotations/",
        json.dumps(annotation),
        content_type=CONTENT_TYPE,
    )
    assert response.status_code == 201, response.content
    claim = Claim.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/annotations/{claim.pk}"
    assert claim.status == "draft" and claim.exact == QUOTES[1]
    assert claim.explanation == "Six wounds, says the hospital."
    assert claim.created_by == editor


def test_an_export_imports_back_as_the_same_claims(ed_api, demo_article, editor, reviewer):
    make_approved(demo_article, editor, reviewer, QUOTES[0], statement="Five hits")
    make_claim(demo_article, editor, QUOTES[1], claimant="Gen. Marks", verdict="false")
    exported = json.loads(ed_api.get("/api/v1/annotations/?page=0").content)["items"]
    before = {
        c.exact: (c.start, c.end, c.prefix, c.suffix, c.statement, c.claimant, c.verdict_id)
        for c in Claim.objects.all()
    }
    Claim.objects.update(deleted_at="2026-11-26T00:00:00Z")  # start from nothing live
    for anno in exported:
        anno.pop("id")
        response = ed_api.post(
            "/api/v1/annotations/", json.dumps(anno), content_type="application/ld+json"
        )
        assert response.status_code == 201, response.content
    after = {
        c.exact: (c.start, c.end, c.prefix, c.suffix, c.statement, c.claimant, c.verdict_id)
        for c in Claim.objects.filter(deleted_at__isnull=True)
    }
    assert after == before
    reimported = Claim.objects.filter(deleted_at__isnull=True, exact=QUOTES[0]).get()
    assert reimported.claim_sources.get().source.url == "https://example.org/hospital-briefing"
    assert reimported.explanation.startswith("Hospital records")


def test_import_refuses_unknown_articles_and_bad_bodies(ed_api, demo_article):
    unknown = {
        "type": "Annotation",
        "target": {
            "source": "https://nowhere.example/x",
            "selector": {"type": "TextQuoteSelector", "exact": QUOTES[0]},
        },
    }
    response = ed_api.post("/api/v1/annotations/", unknown, format="json")
    assert response.status_code == 400
    assert "load it first" in response.json()["detail"]
    assert ed_api.post("/api/v1/annotations/", [1, 2], format="json").status_code == 400
    no_selector = {"type": "Annotation", "target": {"source": f"/articles/{demo_article.pk}/"}}
    response = ed_api.post("/api/v1/annotations/", no_selector, format="json")
    assert response.status_code == 400
    assert "TextQuoteSelector" in response.json()["detail"]


def test_the_context_document_is_public_json_ld(client, db):
    response = client.get("/ns/factcheck.jsonld")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == {
        "@context": {
            "factcheck": "http://testserver/ns/factcheck.jsonld#",
            "stance": {"@id": "factcheck:stance"},
        }
    }


def test_stance_survives_an_export_and_import(ed_api, demo_article, editor):
    from annotations.services import claims as claim_services

    claim = make_claim(demo_article, editor, QUOTES[0])
    for url, title, stance in [
        ("https://example.org/hospital-briefing", "Hospital briefing", "supports"),
        ("https://example.org/rebuttal", "", "refutes"),
    ]:
        claim_services.source_attach(claim=claim, user=editor, url=url, title=title, stance=stance)
    (anno,) = json.loads(ed_api.get("/api/v1/annotations/?page=0").content)["items"]
    (untitled,) = [b for b in anno["body"] if b.get("source") == "https://example.org/rebuttal"]
    assert untitled == {
        "type": "SpecificResource",
        "purpose": "linking",
        "source": "https://example.org/rebuttal",
        "stance": "refutes",
    }
    Claim.objects.update(deleted_at="2026-11-26T00:00:00Z")
    anno.pop("id")
    response = ed_api.post("/api/v1/annotations/", json.dumps(anno), content_type=CONTENT_TYPE)
    assert response.status_code == 201, response.content
    again = Claim.objects.get(deleted_at__isnull=True)
    links = {cs.source.url: (cs.stance, cs.source.title) for cs in again.claim_sources.all()}
    assert links == {
        "https://example.org/hospital-briefing": ("supports", "Hospital briefing"),
        "https://example.org/rebuttal": ("refutes", ""),
    }


def _annotation(article, bodies):
    return {
        "@context": ANNO,
        "type": "Annotation",
        "body": bodies,
        "target": {
            "source": f"http://testserver/articles/{article.pk}/",
            "selector": [{"type": "TextQuoteSelector", "exact": QUOTES[1]}],
        },
    }


def test_import_refuses_an_unknown_stance_and_writes_nothing(ed_api, demo_article):
    body = {"type": "SpecificResource", "source": "https://example.org/x", "stance": "maybe"}
    response = ed_api.post("/api/v1/annotations/", _annotation(demo_article, [body]), format="json")
    assert response.status_code == 400
    assert (
        "“maybe” is not a stance; choose supports, refutes or context." in response.json()["detail"]
    )
    assert not Claim.objects.exists()


def test_import_caps_its_bodies_with_a_413_naming_the_cap(ed_api, demo_article):
    from annotations.limits import IMPORT_BODIES as MAX_IMPORT_BODIES
    from annotations.models import Source

    bodies = [f"https://example.org/s/{i}" for i in range(MAX_IMPORT_BODIES + 1)]
    response = ed_api.post("/api/v1/annotations/", _annotation(demo_article, bodies), format="json")
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert f"at most {MAX_IMPORT_BODIES} bodies; this one has {MAX_IMPORT_BODIES + 1}" in detail
    assert response.json()["max_bodies"] == MAX_IMPORT_BODIES
    assert not Claim.objects.exists() and not Source.objects.exists()
    # At the cap it is accepted.
    response = ed_api.post(
        "/api/v1/annotations/", _annotation(demo_article, bodies[:MAX_IMPORT_BODIES]), format="json"
    )
    assert response.status_code == 201, response.content
    assert Claim.objects.get().claim_sources.count() == MAX_IMPORT_BODIES


# --- "Checked before?": confirmed earlier checks (issue 13) -------------------------------


def test_confirmed_earlier_checks_are_linking_bodies(ed_api, demo_article, editor, reviewer):
    from annotations.models import KnownCheck

    known = helpers.import_known_checks(editor)
    published = make_approved(demo_article, editor, reviewer, QUOTES[1])
    claim = make_approved(demo_article, editor, reviewer, QUOTES[0])
    helpers.confirm(claim, editor, known_check=known[helpers.DEFECTOR_CHECK])
    helpers.confirm(claim, reviewer, earlier_claim=published)
    wind = KnownCheck.objects.get(url__contains="wind")
    helpers.confirm(claim, editor, known_check=wind, decision="not_same")
    anno = json.loads(ed_api.get(f"/api/v1/annotations/{claim.pk}").content)
    earlier = [b for b in anno["body"] if b.get("label") == "checked before"]
    assert earlier[0] == {
        "type": "SpecificResource",
        "purpose": "linking",
        "label": "checked before",
        "source": helpers.DEFECTOR_CHECK,
    }
    assert earlier[1]["source"].endswith(f"/published/{demo_article.pk}/#claim-{published.pk}")
    assert len(earlier) == 2  # "not the same" is not linked
    # The source keeps its stance; the earlier checks have none: they are not evidence.
    assert [b.get("stance") for b in anno["body"] if b["type"] == "SpecificResource"] == [
        "supports",
        None,
        None,
    ]
    (node,) = expand(anno)
    sources = [b[OA + "hasSource"][0]["@id"] for b in node[OA + "hasBody"] if OA + "hasSource" in b]
    assert helpers.DEFECTOR_CHECK in sources
    container = json.loads(ed_api.get("/api/v1/annotations/?page=first").content)["items"]
    listed = next(a for a in container if a["id"] == anno["id"])
    assert listed["body"] == anno["body"]


def test_the_container_reads_confirmed_checks_once_per_page(
    ed_api, demo_article, editor, django_assert_num_queries
):
    known = helpers.import_known_checks(editor)
    claims = make_claims(demo_article, editor, 6)
    url = "/api/v1/annotations/?page=first&page_size=3"
    # 5 queries: token+user+roles, COUNT, the page of claims, their sources, which of
    # them have a match decided "same" (none yet)
    with django_assert_num_queries(5):
        _get(ed_api, url)
    for claim in claims:
        helpers.confirm(claim, editor, known_check=known[helpers.DEFECTOR_CHECK])
    # … and the full read of the matches found
    with django_assert_num_queries(6):
        page = _get(ed_api, url)
    assert all(
        any(b.get("label") == "checked before" for b in item["body"]) for item in page["items"]
    )


def test_a_checked_before_body_is_not_imported_as_a_source(ed_api, demo_article):
    """Our export names confirmed earlier checks; importing it back links nothing."""
    bodies = [
        {"type": "TextualBody", "purpose": "assessing", "label": "verdict", "value": "false"},
        {
            "type": "SpecificResource",
            "purpose": "linking",
            "label": "checked before",
            "source": "https://checks.example.org/demo/earlier",
        },
        {"type": "SpecificResource", "purpose": "linking", "source": "https://example.org/src"},
    ]
    response = ed_api.post(
        "/api/v1/annotations/",
        json.dumps(_annotation(demo_article, bodies)),
        content_type=CONTENT_TYPE,
    )
    assert response.status_code == 201, response.content
    claim = Claim.objects.get()
    assert [cs.source.url for cs in claim.claim_sources.all()] == ["https://example.org/src"]
    assert not claim.matches.exists()
