"""Every operation that changes state. Views, the API, the admin and commands call these.

Named `<noun>_<verb>` so `grep claim_` finds every operation on claims.
"""
