# tests/sh/lib.sh: shared helpers for the shell tests (sourced, POSIX sh).
# Each test prints TAP lines through ok/fail; tests/run.sh counts them.
#   GS        the goldset binary under test ($GOLDSET, else ./goldset)
#   T         a fresh scratch folder, removed at exit
#   ws        creates an empty workspace in $T/ws (or the folder given)
#   ok NAME / fail NAME MSG / check NAME CMD...   record a result
#   expect_exit N NAME CMD...   runs CMD, records whether it exited N
#   tm_*      tmux helpers for driving screens
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
GS=${GOLDSET:-$TOP/goldset}
case "$GS" in /*) ;; *) GS="$(pwd)/$GS" ;; esac
T=$(mktemp -d /tmp/gstest.XXXXXX)
export HOME="$T/home"; mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
export LOGNAME=tester USER=tester
export TERM=xterm-256color
TM_SOCK="gs$$"
cleanup() { tmux -L "$TM_SOCK" kill-server 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
ok()   { echo "ok - $1"; }
fail() { echo "not ok - $1"; shift; [ $# -gt 0 ] && printf '#   %s\n' "$@"; return 0; }
check() { n=$1; shift; if "$@" >/dev/null 2>&1; then ok "$n"; else fail "$n" "command failed: $*"; fi; }
expect_exit() { # N NAME CMD...
  want=$1; n=$2; shift 2
  "$@" > "$T/out" 2> "$T/err"; got=$?
  if [ "$got" -eq "$want" ]; then ok "$n"; else fail "$n" "exit $got, wanted $want" "$(head -c 600 "$T/err")"; fi
}
# labels RATER LINE...: imports the label lines as RATER (a failure is recorded)
labels() {
  r=$1; shift; printf '%s\n' "$@" > "$T/in.jsonl"
  "$GS" import-labels "$T/in.jsonl" --as "$r" >/dev/null 2>"$T/err" || fail "import-labels as $r" "$(cat "$T/err")"
}
# assert that file $T/err (or $2) contains the fixed string $1
# jq-like: json_ok NAME FILE PYTHON-EXPRESSION-ON-d (FILE relative to the current folder, else $T/FILE)
json_ok() {
  f=$2; [ -e "$f" ] || f="$T/$2"
  if /usr/bin/python3 -c 'import json,sys,math; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$f" "$3" 2>"$T/pyerr"; then
    ok "$1"
  else
    fail "$1" "$3" "$(head -c 800 "$f")" "$(cat "$T/pyerr")"
  fi
}
err_has() { grep -qF -- "$1" "${2:-$T/err}"; }
ws() { d=${1:-$T/ws}; mkdir -p "$d"; "$GS" init "$d" >/dev/null 2>&1 || { echo "Bail out! init failed"; exit 1; }; }
# tmux: every test gets its own server socket
tm() { tmux -L "$TM_SOCK" "$@"; }
# (killing the last session stops the server; a new-session racing that
# shutdown can fail, so it is tried again)
tm_start() { # NAME WIDTH HEIGHT CMD
  n=0
  until tm new-session -d -s "$1" -x "$2" -y "$3" "$4" 2>/dev/null; do
    n=$((n + 1)); [ $n -ge 50 ] && { tm new-session -d -s "$1" -x "$2" -y "$3" "$4"; return; }
    sleep 0.1
  done
}
tm_keys() { s=$1; shift; tm send-keys -t "$s" "$@"; }
tm_screen() { tm capture-pane -p -t "$1"; }
# wait until the screen of session $1 contains fixed string $2 (up to ~10 s)
tm_wait() {
  i=0
  while [ $i -lt 200 ]; do
    tm capture-pane -p -t "$1" 2>/dev/null | grep -qF -- "$2" && return 0
    sleep 0.05; i=$((i+1))
  done
  return 1
}
tm_alive() { tm has-session -t "$1" 2>/dev/null; }
