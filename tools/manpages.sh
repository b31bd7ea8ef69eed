#!/bin/sh
# tools/manpages.sh GOLDSET OUTDIR: writes man/goldset-COMMAND.1 for every
# command of `GOLDSET --help` (what `goldset help COMMAND` opens): NAME and
# the options from the command's table (`GOLDSET COMMAND --help`), SYNOPSIS
# and DESCRIPTION from the command's entries in man/goldset.1 (the one
# place the commands are described), the example, SEE ALSO. `make man`
# runs it; tests/sh/t-docs.sh checks that the pages in man/ are current.
set -eu
gs=$1 out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
man1=$top/man/goldset.1
th_date=$(awk '/^\.TH / { print $4; exit }' "$man1" | tr -d '"')
th_month=$(awk '/^\.TH / { print $4, $5; exit }' "$man1")
version=$(cat "$top/VERSION" 2>/dev/null || echo 0.1.0)
: "$th_date"
# roff-safe text: backslashes, hyphens, a leading dot or quote
esc() { sed 's/\\/\\e/g; s/-/\\-/g; s/^\([.'"'"']\)/\\\&\1/'; }

# the entries of COMMAND in the COMMANDS section of goldset.1: each top-level
# .TP item whose head names `goldset COMMAND`, up to the next item
entries() {
  awk -v cmd="$1" '
    function plain(s) { gsub(/\\f[BIRP]/, "", s); gsub(/\\-/, "-", s); gsub(/\\ /, " ", s); sub(/^\.B[IR]* /, "", s); gsub(/"/, "", s); return s }
    /^\.SH COMMANDS/ { in_cmds = 1; next }
    in_cmds && /^\.SH / { exit }
    !in_cmds { next }
    /^\.RS/ { depth++ }
    /^\.RE/ { depth-- }
    depth == 0 && /^\.(TP|SS)/ { keep = 0; head = ($0 ~ /^\.TP/); next }
    head {
      head = 0
      split(plain($0), w, " ")
      keep = (w[1] == "goldset" && w[2] == cmd)
      if (keep) { print ".SY1"; print $0; print ".YS" }
      next
    }
    keep && /^\.TQ/ { tq = 1; next }
    keep && tq { tq = 0; print ".SY"; print $0; print ".YS"; next }
    keep { print }
  ' "$man1"
}

# the OPTIONS section from the command's --help
options() {
  "$gs" "$1" --help | awk '
    /^usage:|^       goldset|^example:/ { next }
    /^[a-z-]+ [a-z-]+: / { sub(/: /, "\t"); split($0, p, "\t"); print "SUB\t" p[1] "\t" p[2]; next }
    /^    -/ { line = substr($0, 5); i = match(line, /  +/); print "OPT\t" substr(line, 1, i - 1) "\t" substr(line, i + RLENGTH) }
  ' | while IFS="	" read -r kind a b; do
    if [ "$kind" = SUB ]; then
      printf '.SS "%s"\n%s\n' "$(printf %s "$a" | esc)" "$(printf %s "$b" | esc)"
    else
      # "-n, --max-count N": the option in bold, its value in italics
      opt=$(printf %s "$a" | sed 's/ \([A-Z][A-Z0-9_.,]*\)$/ \\fI\1\\fP/' | sed 's/-/\\-/g; s/^/\\fB/; s/ \\fI/\\fP \\fI/')
      case $opt in *\\fP*) ;; *) opt="$opt\\fP" ;; esac
      printf '.TP\n%s\n%s\n' "$opt" "$(printf %s "$b" | esc)"
    fi
  done
}

see_also() {
  case $1 in
    import|export) echo "goldset-items 5" ;;
    import-labels) printf 'goldset-items 5\ngoldset-export 1\n' ;;
    label) printf 'goldset-pair 1\ngoldset-rubric 5\n' ;;
    pair) printf 'goldset-label 1\ngoldset-rank 1\n' ;;
    rubric) echo "goldset-rubric 5" ;;
    agree) printf 'goldset-disagreements 1\ngoldset-calibrate 1\n' ;;
    disagreements) printf 'goldset-agree 1\ngoldset-review 1\n' ;;
    rank) echo "goldset-pair 1" ;;
    calibrate) printf 'goldset-agree 1\ngoldset-label 1\n' ;;
    review) echo "goldset-disagreements 1" ;;
    commit) printf 'goldset-log 1\ngoldset-diff 1\ngoldset-push 1\n' ;;
    log|diff) printf 'goldset-commit 1\n' ;;
    push) echo "goldset-pull 1" ;;
    pull) printf 'goldset-push 1\ngoldset-merge-driver 1\n' ;;
    merge-driver) echo "goldset-pull 1" ;;
  esac
}

page() {
  c=$1
  "$gs" "$c" --help > "$out/.help"
  summary=$(sed -n '/^$/{n;p;q}' "$out/.help")
  example=$(sed -n 's/^example: //p' "$out/.help")
  upper=$(printf %s "$c" | tr a-z A-Z | sed 's/-/\\-/g')
  {
    printf '.\\" goldset-%s(1): made by tools/manpages.sh (make man) from goldset(1) and\n' "$c"
    printf '.\\" `goldset %s --help`; change those, not this file.\n' "$c"
    printf '.TH GOLDSET\\-%s 1 %s "goldset %s" "User Commands"\n.ad l\n.nh\n' "$upper" "$th_month" "$version"
    printf '.SH NAME\ngoldset\\-%s \\- %s\n' "$(printf %s "$c" | sed 's/-/\\-/g')" "$(printf %s "$summary" | esc)"
    entries "$c" > "$out/.entries"
    if grep -q '^\.SY' "$out/.entries"; then
      printf '.SH SYNOPSIS\n'
      awk '/^\.SY/ { s = 1; next } /^\.YS/ { s = 0; print ".br"; next } s' "$out/.entries"
      printf '.SH DESCRIPTION\n'
      if [ "$(grep -c '^\.SY1' "$out/.entries")" -eq 1 ]; then
        awk '/^\.SY/ { s = 1; next } /^\.YS/ { s = 0; next } !s' "$out/.entries" | sed '1{/^\.IP$/d}'
      else   # each entry under its heads
        sed '/^\.YS$/d; s/^\.SY1$/.TP/; s/^\.SY$/.TQ/' "$out/.entries"
      fi
    else
      printf '.SH SYNOPSIS\n%s\n' "$(sed -n 's/^usage: //p' "$out/.help" | esc)"
      printf '.SH DESCRIPTION\n%s.\n' "$(printf %s "$summary" | esc)"
    fi
    options "$c" > "$out/.options"
    if [ -s "$out/.options" ]; then printf '.SH OPTIONS\n'; cat "$out/.options"; fi
    printf '.SH EXAMPLES\n.EX\n%s\n.EE\n' "$(printf %s "$example" | esc)"
    printf '.SH SEE ALSO\n.BR goldset (1)'
    see_also "$c" | while read -r name sec; do printf ',\n.BR %s (%s)' "$(printf %s "$name" | sed 's/-/\\-/g')" "$sec"; done
    printf '\n'
  } > "$out/goldset-$c.1"
}

for c in $("$gs" --help | awk '/^  [a-z]/ { print $1 }'); do page "$c"; done
rm -f "$out/.help" "$out/.entries" "$out/.options"
