#!/usr/bin/env bash
# What `npm run test:e2e` runs once the toolchain is built: the e2e suites in two lanes at once, each on a cluster slot
# of its own (tests/e2e/env.ts claims the next free one, so the lanes never share a cluster):
#   real  the suites that use the real node (they import e2e/harness/realNode): pods that run, policies enforced;
#   kwok  every other suite, on a cluster without the real node (PLATFORM_E2E_REAL_NODE=0): admission, engine, CLI.
# Most of an e2e's time is spent waiting on pods, probes and the engine, not computing, so two lanes on 2 cores end well
# before one lane would. Each lane's lines are prefixed with its name as they come; each lane's mocha summary is printed
# again, unprefixed, at the end (what .ci/run counts).
#   PLATFORM_E2E_LANES=1  every suite in one lane, one after another (the same as mocha --config tests/e2e/.mocharc.json)
#   extra arguments       go to every mocha (e.g. --grep "runtime blueprints")
set -uo pipefail
cd "$(dirname "$0")/.."

# Dependencies and the prebuilt program once, before two mochas could each start an install or a build.
bash scripts/with-deps.sh tsc --version >/dev/null || exit 1

if [ "${PLATFORM_E2E_LANES:-2}" = 1 ]; then
  exec node_modules/.bin/mocha --config tests/e2e/.mocharc.json "$@"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'trap - INT TERM; kill 0' INT TERM

mapfile -t suites < <(find tests/e2e -name '*.test.ts' | LC_ALL=C sort)
real=() kwok=()
for s in "${suites[@]}"; do
  if grep -q 'harness/realNode' "$s"; then real+=("$s"); else kwok+=("$s"); fi
done

# A lane's mocha config: the base one with its suites as the spec.
lane_config() {
  node -e '
    const [base, out, ...spec] = process.argv.slice(1);
    const c = JSON.parse(require("fs").readFileSync(base, "utf8"));
    require("fs").writeFileSync(out, JSON.stringify({ ...c, spec }));
  ' tests/e2e/.mocharc.json "$work/$1.json" "${@:2}"
  echo "::: e2e lane $1: ${*:2}"
}

run_lane() {
  local name=$1 real_node=$2; shift 2
  local start=$SECONDS rc
  PLATFORM_E2E_REAL_NODE=$real_node node_modules/.bin/mocha --config "$work/$name.json" "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  tail -n +1 -f --pid=$pid "$work/$name.log" | sed -u "s/^/[$name] /"
  wait "$pid"; rc=$?
  echo "$rc" >"$work/$name.rc"
  echo "::: e2e lane $name: exit $rc after $((SECONDS - start))s"
}

status=0
lanes=()
if [ ${#real[@]} -gt 0 ]; then lane_config real "${real[@]}"; lanes+=(real); fi
if [ ${#kwok[@]} -gt 0 ]; then lane_config kwok "${kwok[@]}"; lanes+=(kwok); fi
[ ${#real[@]} -gt 0 ] && run_lane real 1 "$@" &
[ ${#kwok[@]} -gt 0 ] && run_lane kwok 0 "$@" &
wait

for name in "${lanes[@]}"; do
  rc=$(cat "$work/$name.rc" 2>/dev/null || echo 1)
  echo "::: e2e lane $name summary (exit $rc)"
  # From mocha's "N passing" line to the end: the counts and any failure, as mocha printed them.
  sed -n '/^ *[0-9]\+ passing/,$p' "$work/$name.log"
  [ "$rc" -eq 0 ] || status=1
done
exit "$status"
