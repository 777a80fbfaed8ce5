"""Presenters: selected rows in, plain data out (W3C annotations, ClaimReview, CSV rows).

Pure: no queries and no request objects. A selector fetches the rows (with every join
the presenter reads), the caller passes in what depends on the request (the base URL),
and the presenter shapes the answer. The API, the public page and the CSV stream call
the same ones, so an export looks the same whichever door it leaves by.
"""
