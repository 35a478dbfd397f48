"""schemathesis checks of scripts/api-fuzz (loaded through SCHEMATHESIS_HOOKS).

positive_data_accepted replaces schemathesis' positive_data_acceptance: schema-valid data
must not be refused, except by the refusals that depend on what the log holds, which no
schema can state: whim's 400 INVALID_STATE (register for an item that ended, requeue an
item that has not) and INVALID_TYPE (the verification of a verification item), and a
stream position past the log's last sequence (GET /api/events). And one that a schema
cannot count: a lock path with `..` segments, which the core refuses when they climb above
the repository root or leave nothing (the document's pattern is exact for every other path). Everything else that
schemathesis' check allows, this one allows too.
"""
import json

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

STATE_CODES = {"INVALID_STATE", "INVALID_TYPE"}
# Unicode's White_Space, which the core trims (Python's str.strip also strips U+001C-U+001F).
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _refused_for_state(response, case) -> bool:
    if response.status_code != 400:
        return False
    try:
        body = json.loads(response.text)
    except ValueError:
        return False
    if body.get("code") in STATE_CODES:
        return True
    error = body.get("error", "")
    if case.operation.path.endswith("/api/events"):
        return "the log's last sequence" in error
    if case.operation.path.endswith(("/lock", "/unlock")) and "is not a path inside the repository" in error:
        files = case.body.get("files") if isinstance(case.body, dict) else None
        return isinstance(files, list) and any(isinstance(f, str) and ".." in f.strip(WHITE_SPACE).split("/") for f in files)
    return False


@schemathesis.check
def positive_data_accepted(ctx, response, case):
    try:
        return positive_data_acceptance(ctx, response, case)
    except Exception:
        if _refused_for_state(response, case):
            return None
        raise
