"""Sums what strict mode judged in the stacks of one test run and fails on any
request ECS would refuse, except the self-test's deliberate ones:

    python -m stack.strict_report --since FILE [--wait 30] DIR...

Each DIR is a stack state folder; those created after FILE (a marker touched
before the run) are read once their server has stopped and written strict.json
(at most --wait seconds each). Prints the requests per operation and the
violations; exits 1 when there is a violation.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter

from .strict_selftest import SELFTEST_APP


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--since", required=True)
    ap.add_argument("--wait", type=float, default=30.0)
    ap.add_argument("dirs", nargs="*")
    args = ap.parse_args()
    since = os.path.getmtime(args.since)
    dirs = [d for d in args.dirs if os.path.isdir(d) and os.path.getmtime(d) >= since]
    requests: Counter[str] = Counter()
    violations = []
    deadline = time.monotonic() + args.wait
    unread = []
    for d in dirs:
        path = os.path.join(d, "strict.json")
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not os.path.exists(path):
            unread.append(d)
            continue
        with open(path) as f:
            doc = json.load(f)
        requests.update(doc["requests"])
        violations.extend(v for v in doc["violations"] if v.get("app") != SELFTEST_APP)
    print(f"strict: {sum(requests.values())} ECS requests judged in {len(dirs) - len(unread)} stacks: "
          + ", ".join(f"{op} {n}" for op, n in requests.most_common()), file=sys.stderr)
    for d in unread:
        print(f"strict: warning: {d} wrote no strict.json (still running?)", file=sys.stderr)
    for v in violations[:20]:
        print(f"strict: violation by {v['client']}: {v['operation']}: {'; '.join(v['errors'])}", file=sys.stderr)
    print(f"strict: {len(violations)} violations", file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
