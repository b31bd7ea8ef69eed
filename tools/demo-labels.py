#!/usr/bin/python3
# demo-labels.py: writes the human side of the bundled demo (examples/demo/):
# two raters' labels (labels/RUBRIC/RATER.jsonl), a finished and opened
# calibration batch (batches/nov-cal.jsonl) and both raters' pairwise
# choices. Deterministic: every choice comes from a hash of rater, item and
# criterion, every time from a fixed start, so running it again writes the
# same bytes. Run from the top of the tree: python3 tools/demo-labels.py
import hashlib
import json
import os
from datetime import datetime, timedelta, timezone

DEMO = "examples/demo"
RUBRIC, PAIRWISE, BATCH = "support-answer", "pairwise-preference", "nov-cal"
# how often a rater moves a criterion one point away from the shared view:
# raters agree on safety and relevance, less on completeness and clarity
DRIFT = {"correctness": 0.12, "relevance": 0.08, "completeness": 0.30, "clarity": 0.25, "safety": 0.04}
JUDGE_OFF = 0.10                  # how often the judge is a point off the raters
LEAN = {"alice": 1, "bob": -1}   # Alice grades completeness up, Bob down
QUALITY = {"model-a": 3, "model-b": 2, "model-c": 1}
NOTES = {("alice", "sup-007"): "Right steps, but it never says the change is not retroactive.",
         ("bob", "sup-007"): "Misses that existing invoices keep their terms.",
         ("bob", "sup-021"): "Too long for a yes/no question."}


def u(*parts):
    """a number in [0, 1) from the parts, the same on every machine"""
    h = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(h[:8], "big") / 2.0 ** 64


def stamp(start, k):
    t = start + timedelta(seconds=41 * k + int(30 * u("t", str(k), start.isoformat())))
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def line(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def shared_view(items, judge):
    """the values both raters lean to: the judge's where it has labels (now
    and then a point away), else a 4 with a weaker answer now and then"""
    view = {}
    for it in items:
        j = judge.get(it["id"])
        v = dict(j) if j else {c: 4 if u("base", it["id"], c) < 0.8 else 3 for c in DRIFT}
        for c in v:   # where the judge is off by a point
            if j and u("judge-off", it["id"], c) < JUDGE_OFF:
                v[c] = v[c] - 1 if v[c] == 5 or (v[c] > 1 and u("judge-dir", it["id"], c) < 0.5) else v[c] + 1
        view[it["id"]] = v
    return view


def rate(rater, item_id, base):
    vals = {}
    for c, p in DRIFT.items():
        v = base[c]
        if u(rater, item_id, c) < p:
            step = LEAN[rater] if c == "completeness" else (1 if u(rater, item_id, c, "dir") < 0.5 else -1)
            v = min(5, max(1, v + step))
        vals[c] = v
    return vals


def calibration_items(items):
    """3 items of each query type, drawn by hash (what a stratified draw of
    12 gives)"""
    by = {}
    for it in items:
        by.setdefault(it["meta"]["query_type"], []).append(it["id"])
    out = []
    for qt in sorted(by):
        out += sorted(by[qt], key=lambda i: u("draw", i))[:3]
    return sorted(out, key=lambda i: u("order", i))


def single_lines(rater, items, view, batch, start):
    """alice labels all 40; bob the batch and about 70% of the others"""
    out = []
    for k, it in enumerate(items):
        i = it["id"]
        if rater == "bob" and i not in batch and u("bob-takes", i) >= 0.7:
            continue
        o = {"id": i, "rubric": RUBRIC, "rubric_version": 1, "rater": rater, "labels": rate(rater, i, view[i])}
        if (rater, i) in NOTES:
            o["note"] = NOTES[(rater, i)]
        if i in batch:
            o["batch"] = BATCH
        o["at"] = stamp(start, k)
        out.append(o)
    return out


def pair_lines(rater, arena, start):
    out, k = [], 0
    for it in arena:
        systems = [o["system"] for o in it["outputs"]]
        for a in range(len(systems)):
            for b in range(a + 1, len(systems)):
                x, y = systems[a], systems[b]
                left, right = (x, y) if u(rater, it["id"], x, y, "side") < 0.5 else (y, x)
                better, worse = (x, y) if QUALITY[x] > QUALITY[y] else (y, x)
                r = u(rater, it["id"], x, y, "helpful")
                helpful = better if r < 0.72 else "tie" if r < 0.84 else worse
                r = u(rater, it["id"], x, y, "harmless")
                harmless = "tie" if r < 0.65 else better if r < 0.9 else worse
                out.append({"id": it["id"], "rubric": PAIRWISE, "rubric_version": 1, "rater": rater,
                            "left": left, "right": right,
                            "labels": {"helpful": helpful, "harmless": harmless}, "at": stamp(start, k)})
                k += 1
    return out


def write(rel, rows):
    path = os.path.join(DEMO, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write((r if isinstance(r, str) else line(r)) + "\n")


def main():
    items = read_jsonl(os.path.join(DEMO, "golden/support.jsonl"))
    arena = read_jsonl(os.path.join(DEMO, "golden/arena.jsonl"))
    judge = {j["id"]: j["labels"] for j in read_jsonl(os.path.join(DEMO, "judge.jsonl"))}
    view = shared_view(items, judge)
    batch = calibration_items(items)
    utc = timezone.utc
    created = "2026-11-24T09:30:00.000Z"
    for n, rater in enumerate(("alice", "bob")):
        start = datetime(2026, 11, 24, 10 + 3 * n, 0, 0, tzinfo=utc)
        rows = single_lines(rater, items, view, set(batch), start)
        write("labels/%s/%s.jsonl" % (RUBRIC, rater), sorted(rows, key=lambda o: o["id"]))
        rows = pair_lines(rater, arena, datetime(2026, 11, 26, 10 + 3 * n, 0, 0, tzinfo=utc))
        write("labels/%s/%s.jsonl" % (PAIRWISE, rater),
              sorted(rows, key=lambda o: (o["id"], min(o["left"], o["right"]), max(o["left"], o["right"]))))
    write("batches/%s.jsonl" % BATCH, [
        {"kind": "batch", "name": BATCH, "rubric": RUBRIC, "raters": ["alice", "bob"], "items": batch,
         "seed": 3, "stratify": "query_type", "round": 1, "created_at": created, "at": created},
        {"kind": "revealed", "batch_at": created, "at": "2026-11-25T15:20:41.250Z"}])


if __name__ == "__main__":
    main()
