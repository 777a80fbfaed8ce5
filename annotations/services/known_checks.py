"""Known checks coming in: fact-checks published elsewhere, as schema.org ClaimReview.

One service, `known_checks_import`, for every door (the API, the command, the admin).
It reads three shapes:

- schema.org `ClaimReview` JSON-LD: one object, an array, or a `@graph` (our own export,
  `GET /api/v1/claimreviews/`, included: a page of it, `{"results": [...]}`, too);
- an HTML page: its `<script type="application/ld+json">` blocks (other types ignored);
- Google Fact Check Tools `claims:search` results: `{"claims": [{"text", "claimant",
  "claimReview": [{"publisher", "url", "title", "reviewDate", "textualRating",
  "languageCode"}]}]}`, one known check per review.

All or nothing: every item is read and checked first; the first bad one is refused with
its number (counting from 1 in the order found), its URL and what is wrong, and nothing is
written. The writes then run in one transaction, as one `INSERT … ON CONFLICT (url) DO
UPDATE` per batch, so two imports of the same URL at once cannot make two rows: the unique
constraint decides, and the later import updates.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction

from annotations import limits
from annotations.models import KnownCheck
from annotations.roles import EDIT_REFUSED, may_edit
from annotations.services.errors import InvalidInput, NotAllowed
from annotations.services.matching import embeddings_fill_soon

#: The imported fields, in the model's order; an import compares and writes these.
FIELDS = (
    "claim_reviewed",
    "claimant",
    "rating_text",
    "rating_value",
    "best_rating",
    "worst_rating",
    "publisher_name",
    "publisher_url",
    "url",
    "review_date",
    "language",
    "title",
)
#: Rows written per INSERT … ON CONFLICT statement.
BATCH = 1_000
#: The fields a check is matched by: a change to either makes its vector stale.
PASSAGE_FIELDS = ("claim_reviewed", "title")

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class BadItem(Exception):
    """One item's problem, before the item's number and URL are known to the message."""


@dataclass
class ItemResult:
    #: The item's number in the import, counting from 1 in the order found.
    index: int
    url: str
    #: created, updated, unchanged, or duplicate (a later item in this import has the same
    #: URL and is the one kept).
    result: str
    id: int | None = None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Items with the URL of a later item of the same import (the later one counts).
    duplicates: int = 0
    #: JSON-LD objects of other types (a WebPage, an Organization …), left alone.
    ignored: int = 0
    items: list[ItemResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "ignored": self.ignored,
            "items": [
                {"index": i.index, "url": i.url, "result": i.result, "id": i.id} for i in self.items
            ],
        }


# --- Finding the items -------------------------------------------------------------------


@dataclass
class _Found:
    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (shape, item)
    ignored: int = 0


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: dict[str, Any]) -> set[str]:
    """`@type` (or `type`) as bare names: "schema:ClaimReview" and the IRI count too."""
    names = set()
    for value in _as_list(node.get("@type", node.get("type"))):
        if isinstance(value, str):
            names.add(value.rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1])
    return names


def _walk(node: Any, found: _Found) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, found)
        return
    if not isinstance(node, dict):
        found.ignored += 1
        return
    if isinstance(node.get("claims"), list) and "@type" not in node:
        # Fact Check Tools `claims:search` results: one known check per review.
        for claim in node["claims"]:
            if not isinstance(claim, dict):
                found.items.append(("factcheck_tools", {"claim": claim, "review": None}))
                continue
            reviews = _as_list(claim.get("claimReview"))
            if not reviews:
                found.items.append(("factcheck_tools", {"claim": claim, "review": None}))
            for review in reviews:
                found.items.append(("factcheck_tools", {"claim": claim, "review": review}))
        return
    if "@graph" in node:
        _walk(node["@graph"], found)
        return
    if isinstance(node.get("results"), list) and "@type" not in node:
        _walk(node["results"], found)  # a page of GET /api/v1/claimreviews/
        return
    if "ClaimReview" in _types(node):
        found.items.append(("claimreview", node))
    else:
        found.ignored += 1


def _json_ld_blocks(page: str) -> list[Any]:
    """The parsed `application/ld+json` blocks of an HTML page.

    A block that is not valid JSON is skipped when it does not mention ClaimReview (a
    broken block of another kind should not stop the import); when it does, it is refused,
    since skipping it would import the page only in part.
    """
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        raise InvalidInput("The HTML page could not be read.") from None
    blocks = []
    scripts = root.xpath("//script")
    n = 0
    for script in scripts:
        kind = (script.get("type") or "").split(";")[0].strip().lower()
        if kind != "application/ld+json":
            continue
        n += 1
        text = script.text or ""
        try:
            blocks.append(json.loads(text))
        except RecursionError:
            raise InvalidInput(f"JSON-LD block {n} of the page is nested too deeply.") from None
        except ValueError as exc:
            if "ClaimReview" in text:
                raise InvalidInput(
                    f"JSON-LD block {n} of the page mentions ClaimReview but is not valid "
                    f"JSON ({exc}); nothing was imported."
                ) from None
    return blocks


def _parse(data: Any) -> _Found:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("The file is not UTF-8 text (JSON or an HTML page).") from None
    if isinstance(data, str):
        text = data.strip()
        if text.startswith("<"):
            data = _json_ld_blocks(text)
        else:
            try:
                data = json.loads(text)
            except RecursionError:
                raise InvalidInput("The JSON is nested too deeply.") from None
            except ValueError as exc:
                raise InvalidInput(
                    f"The input is neither JSON nor an HTML page ({exc}); nothing was imported."
                ) from None
    found = _Found()
    try:
        _walk(data, found)
    except RecursionError:
        raise InvalidInput("The input is nested too deeply to be ClaimReview JSON-LD.") from None
    return found


# --- Reading one item --------------------------------------------------------------------


def _text(value: Any, name: str, *, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if isinstance(value, dict):
        value = value.get("@value", value.get("name", ""))
    if not isinstance(value, str):
        raise BadItem(f"{name} must be text")
    value = " ".join(value.split())
    if required and not value:
        raise BadItem(f"{name} is missing or empty")
    if len(value) > limit:
        raise BadItem(f"{name} is {len(value):,} characters long; at most {limit:,} are kept")
    if "\x00" in value:
        raise BadItem(f"{name} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadItem(f"{name} holds a lone surrogate, which is not Unicode text") from None
    return value


def _url(value: Any, name: str, *, required: bool = False) -> str:
    if isinstance(value, dict):
        value = value.get("@id", value.get("url", ""))
    value = _text(value, name, limit=limits.URL, required=required)
    if value:
        # Not Django's URLValidator: a newsroom's intranet host ("factcheck", no dot) is a
        # fine identity for a check, and real exports carry such addresses.
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            host = None
        if host is None or parts.scheme.lower() not in ("http", "https") or " " in value:
            raise BadItem(f"{name} must be an http(s) address; got “{value[:200]}”")
    return value


def _number(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadItem(f"{name} must be a number")
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise BadItem(f"{name} must be a number; got “{value[:50]}”") from None
    if not isinstance(value, int | float):
        raise BadItem(f"{name} must be a number")
    if abs(value) > 1e12 or (isinstance(value, float) and not math.isfinite(value)):
        raise BadItem(f"{name} must be a finite number below a trillion")
    return float(value)


def _date(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) > 10:
                return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise BadItem(f"{name} must be a date (YYYY-MM-DD or an ISO 8601 time); got {value!r:.60}")


def _language(value: Any, name: str) -> str:
    if isinstance(value, dict):
        # schema.org Language: {"@type": "Language", "name": "English", "alternateName": "en"}
        value = value.get("alternateName") or value.get("identifier") or value.get("name")
    if isinstance(value, list):
        value = value[0] if value else ""
    tag = _text(value, name, limit=limits.LANGUAGE_TAG)
    if tag and not _LANGUAGE_TAG.match(tag):
        raise BadItem(f"{name} must be a BCP 47 language tag such as “en” or “pt-BR”; got “{tag}”")
    return tag


def _first_dict(value: Any) -> dict[str, Any]:
    for item in _as_list(value):
        if isinstance(item, dict):
            return item
    return {}


def _name_of(value: Any) -> Any:
    """An author or publisher: an object with a name, a bare name, or a list of either."""
    for item in _as_list(value):
        if isinstance(item, str):
            return item
        if isinstance(item, dict):
            return item.get("name", "")
    return ""


def _from_claimreview(item: dict[str, Any]) -> dict[str, Any]:
    reviewed = _first_dict(item.get("itemReviewed"))
    rating = _first_dict(item.get("reviewRating"))
    if item.get("reviewRating") is not None and not rating:
        raise BadItem("reviewRating must be a Rating object")
    author = _first_dict(item.get("author")) or _first_dict(item.get("publisher"))
    values = {
        "url": _url(item.get("url") or item.get("@id"), "url", required=True),
        "claim_reviewed": _text(
            item.get("claimReviewed"),
            "claimReviewed",
            limit=limits.CLAIM_REVIEWED,
            required=True,
        ),
        "claimant": _text(
            _name_of(reviewed.get("author")), "itemReviewed.author.name", limit=limits.CLAIMANT
        ),
        "rating_text": _text(
            rating.get("alternateName") or rating.get("name"),
            "reviewRating.alternateName",
            limit=limits.RATING_TEXT,
        ),
        "rating_value": _number(rating.get("ratingValue"), "reviewRating.ratingValue"),
        "best_rating": _number(rating.get("bestRating"), "reviewRating.bestRating"),
        "worst_rating": _number(rating.get("worstRating"), "reviewRating.worstRating"),
        "publisher_name": _text(
            _name_of(item.get("author")) or _name_of(item.get("publisher")),
            "author.name",
            limit=limits.PUBLISHER,
        ),
        "publisher_url": _url(author.get("url"), "author.url"),
        "review_date": _date(item.get("datePublished"), "datePublished"),
        "language": _language(item.get("inLanguage"), "inLanguage"),
        "title": _text(item.get("name") or item.get("headline"), "name", limit=limits.TITLE),
    }
    _check_scale(values, prefix="reviewRating.")
    return values


def _from_factcheck_tools(item: dict[str, Any]) -> dict[str, Any]:
    claim, review = item["claim"], item["review"]
    if not isinstance(claim, dict):
        raise BadItem("each entry of claims must be an object")
    if not isinstance(review, dict):
        raise BadItem("claimReview must hold at least one review object")
    publisher: dict[str, Any] = _first_dict(review.get("publisher"))
    site = publisher.get("site") or ""
    if isinstance(site, str) and site and "://" not in site:
        site = f"https://{site}"  # Fact Check Tools gives the site's host name
    return {
        "url": _url(review.get("url"), "claimReview.url", required=True),
        "claim_reviewed": _text(
            claim.get("text"), "text", limit=limits.CLAIM_REVIEWED, required=True
        ),
        "claimant": _text(claim.get("claimant"), "claimant", limit=limits.CLAIMANT),
        "rating_text": _text(
            review.get("textualRating"), "claimReview.textualRating", limit=limits.RATING_TEXT
        ),
        "rating_value": None,
        "best_rating": None,
        "worst_rating": None,
        "publisher_name": _text(
            publisher.get("name"), "claimReview.publisher.name", limit=limits.PUBLISHER
        ),
        "publisher_url": _url(site, "claimReview.publisher.site"),
        "review_date": _date(review.get("reviewDate"), "claimReview.reviewDate"),
        "language": _language(review.get("languageCode"), "claimReview.languageCode"),
        "title": _text(review.get("title"), "claimReview.title", limit=limits.TITLE),
    }


def _check_scale(values: dict[str, Any], *, prefix: str) -> None:
    value, best, worst = values["rating_value"], values["best_rating"], values["worst_rating"]
    if best is not None and worst is not None and worst > best:
        raise BadItem(f"{prefix}worstRating ({worst:g}) is above bestRating ({best:g})")
    if value is not None and best is not None and value > best:
        raise BadItem(f"{prefix}ratingValue ({value:g}) is above bestRating ({best:g})")
    if value is not None and worst is not None and value < worst:
        raise BadItem(f"{prefix}ratingValue ({value:g}) is below worstRating ({worst:g})")


def _raw_url(shape: str, item: Any) -> str:
    """The item's URL as given, for naming it in a refusal (whatever its other faults)."""
    try:
        raw = item.get("url") if shape == "claimreview" else (item["review"] or {}).get("url")
    except (AttributeError, TypeError):
        return ""
    return raw[:200] if isinstance(raw, str) else ""


def _read_all(found: _Found) -> list[dict[str, Any]]:
    readers = {"claimreview": _from_claimreview, "factcheck_tools": _from_factcheck_tools}
    rows = []
    for n, (shape, item) in enumerate(found.items, start=1):
        try:
            rows.append(readers[shape](item))
        except BadItem as exc:
            url = _raw_url(shape, item)
            named = f"item {n} ({url})" if url else f"item {n}"
            raise InvalidInput(
                f"{named}: {exc}. Nothing was imported.", item=n, item_url=url or None
            ) from None
    return rows


# --- Writing -------------------------------------------------------------------------------


def _existing(urls: list[str]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for start in range(0, len(urls), BATCH):
        chunk = urls[start : start + BATCH]
        for row in KnownCheck.objects.filter(url__in=chunk).values("id", *FIELDS):
            rows[row["url"]] = row
    return rows


def _iter_batches(objs: list[KnownCheck]) -> Iterator[list[KnownCheck]]:
    for start in range(0, len(objs), BATCH):
        yield objs[start : start + BATCH]


@transaction.atomic
def known_checks_import(*, data: Any, user: User | None) -> ImportReport:
    """Import known checks from ClaimReview JSON-LD, an HTML page or Fact Check Tools
    results (see the module), all or nothing. `user` None is an operator at the shell
    (the command without --user); anyone else needs edit rights."""
    if user is not None and not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="import known checks"))
    found = _parse(data)
    if not found.items:
        raise InvalidInput(
            "No ClaimReview found: send schema.org ClaimReview JSON-LD (an object, an array "
            "or a @graph), an HTML page embedding it, or Fact Check Tools claims:search "
            "results."
        )
    if len(found.items) > limits.KNOWN_CHECKS_PER_IMPORT:
        raise InvalidInput(
            f"One import may carry at most {limits.KNOWN_CHECKS_PER_IMPORT:,} ClaimReviews; "
            f"this one has {len(found.items):,}. Split it into several files."
        )
    rows = _read_all(found)
    report = ImportReport(ignored=found.ignored)
    # The same URL twice in one import: the later item is kept (ON CONFLICT may not touch
    # a row twice in one statement, and the later one is the newer word).
    last = {row["url"]: n for n, row in enumerate(rows)}
    existing = _existing(list(last))
    to_write: list[KnownCheck] = []
    results: list[ItemResult] = []
    reworded: list[str] = []
    for n, row in enumerate(rows):
        result = ItemResult(index=n + 1, url=row["url"], result="created")
        results.append(result)
        before = existing.get(row["url"])
        if last[row["url"]] != n:
            result.result = "duplicate"
            report.duplicates += 1
            continue
        if before is not None:
            result.id = before["id"]
            if all(before[name] == row[name] for name in FIELDS):
                result.result = "unchanged"
                report.unchanged += 1
                continue
            result.result = "updated"
            report.updated += 1
            if any(before[name] != row[name] for name in PASSAGE_FIELDS):
                reworded.append(row["url"])
        else:
            report.created += 1
        to_write.append(KnownCheck(imported_by=user, **row))
    written: dict[str, int] = {}
    for batch in _iter_batches(to_write):
        KnownCheck.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["url"],
            update_fields=[name for name in FIELDS if name != "url"] + ["updated_at"],
        )
        written.update((obj.url, obj.pk) for obj in batch)
    for start in range(0, len(reworded), BATCH):
        # New words, new vector: the old one would match the old text.
        KnownCheck.objects.filter(url__in=reworded[start : start + BATCH]).update(
            embedding=None, embedding_model=""
        )
    if to_write:
        embeddings_fill_soon()
    for result in results:
        if result.id is None:  # created, or a duplicate: the id of the row kept
            result.id = written.get(result.url) or existing.get(result.url, {}).get("id")
    report.items = results
    return report
