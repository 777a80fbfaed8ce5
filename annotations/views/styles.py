"""The verdict scale's colours as a stylesheet.

The scale is data (an admin edits it), so its colours cannot live in a static file; they
used to be written into `style="--hl: …"` attributes, which a Content-Security-Policy
without 'unsafe-inline' forbids. Templates give an element the class `v-<slug>` and this
sheet, served from our own origin, sets `--hl` for each slug. Public (the published page
shows verdicts), revalidated on each use through its ETag, one query.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from annotations.models import Verdict


@require_safe
def verdict_colours(request: HttpRequest) -> HttpResponse:
    # Colours are #rrggbb (validator and database constraint), slugs are [-a-zA-Z0-9_]:
    # both are safe to write into CSS as they are.
    rows = Verdict.objects.order_by("slug").values_list("slug", "colour")
    css = "".join(f".v-{slug} {{ --hl: {colour}; }}\n" for slug, colour in rows)
    etag = '"' + hashlib.sha256(css.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response
