#!/usr/bin/env bash
# Hostile input against every API operation (issue 8): schemathesis, generated from the OpenAPI
# schema at /api/schema/, with every check, as a powerful person (secas) and as a party's
# representative (rep-HEARTH). Each person gets a fresh demo platform (`secassure serve --demo`
# on a free 127.0.0.1 port, its own SQLite data directory, stopped at the end), since the
# stateful phase writes.
#
#   benchmarks/hostile_api.sh [MAX_EXAMPLES [SEED]]     # defaults: 30 and 8
#
# Schemathesis lives in its own virtualenv (ST, default /tmp/st-venv/bin/st):
#   python3 -m venv /tmp/st-venv && /tmp/st-venv/bin/pip install schemathesis==4.32.5
# Prints, per person, the failures by kind (ST101 is a server error) and where the reports are;
# exits 1 if any run found a server error or another failure.
set -euo pipefail

MAX_EXAMPLES=${1:-30}
SEED=${2:-8}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SECASSURE=${SECASSURE:-$HERE/.venv/bin/secassure}
ST=${ST:-/tmp/st-venv/bin/st}
PEOPLE=${PEOPLE:-"secas rep-HEARTH"}
OUT=${OUT:-$(mktemp -d /tmp/hostile-api.XXXXXX)}
[ -x "$ST" ] || { echo "no schemathesis at $ST (see the header of $0)" >&2; exit 2; }
unset DATABASE_URL  # always its own SQLite database, never a shared one

free_port() {
  "$HERE/.venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0));
print(s.getsockname()[1])'
}

SERVER=""
stop_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  SERVER=""
}
trap stop_server EXIT

status=0
for person in $PEOPLE; do
  data="$OUT/$person/data"; mkdir -p "$data"
  port=$(free_port)
  SECASSURE_DATA_DIR=$data timeout 1800 "$SECASSURE" serve --demo --port "$port" \
    >"$OUT/$person/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/api/schema/" && break
    sleep 1
  done
  token=$(SECASSURE_DATA_DIR=$data SECASSURE_DEMO=1 "$SECASSURE" token "$person")
  set +e
  (cd "$OUT/$person" && "$ST" run "http://127.0.0.1:$port/api/schema/" \
    -H "Authorization: Token $token" --checks all --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" --generation-database none --workers 1 --no-color --report json \
    --report-dir "$OUT/$person" >"$OUT/$person/st.txt" 2>&1)
  code=$?
  set -e
  stop_server
  [ "$code" -eq 0 ] || status=1
  echo "== $person (exit $code; log $OUT/$person/st.txt)"
  sed -n '/^Failures:/,/^$/p' "$OUT/$person/st.txt"
  grep -E '^  [0-9]+ generated|^=+ .* in [0-9.]+s =+$' "$OUT/$person/st.txt" || true
  server_errors=$(grep -c 'ST101\|ST102' "$OUT/$person/st.txt" || true)
  echo "server-error lines: $server_errors; tracebacks in the server log: \
$(grep -c Traceback "$OUT/$person/serve.log" || true)"
done
exit $status
