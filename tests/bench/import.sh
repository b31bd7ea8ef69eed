# import.sh: `goldset import` of 100k items of about 1 KB, against the
# sqlite3 command-line shell inserting the same rows in one transaction
# (same journal and sync settings). Goal: at most 2x its time; peak memory
# for 100k items at most 1.5x that for 10k.
. "$(dirname "$0")/lib.sh"
gen() { # N FILE: N items of about 1 KB
  awk -v n="$1" 'BEGIN {
    pad = ""; for (i = 0; i < 90; i++) pad = pad "lorem ipsu";
    for (i = 0; i < n; i++)
      printf "{\"id\":\"it-%07d\",\"input\":\"Question %d about invoices?\",\"output\":\"Answer %d %s\",\"meta\":{\"segment\":\"%s\",\"difficulty\":\"%s\"}}\n", i, i, i, pad, (i % 3 ? "paid" : "free"), (i % 2 ? "hard" : "easy")
  }' > "$2"
}
gen 100000 "$B/100k.jsonl"
gen 10000 "$B/10k.jsonl"
awk 'BEGIN { print "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
  print "CREATE TABLE items(id TEXT PRIMARY KEY, json TEXT NOT NULL);"; print "BEGIN;" }
  { line = $0; gsub(/\x27/, "\x27\x27", line); id = substr(line, 8, 10);
    printf "INSERT INTO items VALUES(\x27%s\x27, \x27%s\x27);\n", id, line }
  END { print "COMMIT;" }' "$B/100k.jsonl" > "$B/insert.sql"
"$GS" init "$B/ws100" >/dev/null
"$GS" init "$B/ws10" >/dev/null
measure gs "$GS" -C "$B/ws100" import "$B/100k.jsonl" --set bench
measure gs10 "$GS" -C "$B/ws10" import "$B/10k.jsonl" --set bench
measure sq sqlite3 "$B/sq.db" ".read $B/insert.sql"
echo "import 100k items (~1 KB): goldset ${gs_s}s, sqlite3 shell ${sq_s}s, ratio $(ratio "$gs_s" "$sq_s") (goal <= 2)"
echo "peak memory: goldset 10k ${gs10_kb} KB, 100k ${gs_kb} KB, ratio $(ratio "$gs_kb" "$gs10_kb") (goal <= 1.5); sqlite3 shell ${sq_kb} KB"
