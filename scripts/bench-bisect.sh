#!/usr/bin/env bash
# Bisects a board benchmark figure over the history with ONE fixed harness: this checkout's
# test/bench/board-throughput.bench.test.ts measures the board and page built from another checkout
# (BENCH_BOARD_ROOT, see test/bench/board-fixture.ts), so a figure that moves says the product moved,
# not the bench. Written for the 5,000/s regression (docs/performance.md, "The 5,000/s regression, bisected").
#
#   scripts/bench-bisect.sh FIGURE LIMIT [RUNS]
#       Run in the checkout to measure (what `git bisect run` does): builds its dist/ (tsc, and the
#       page bundle where the commit has scripts/build-web.mjs), runs the harness RUNS times (default
#       1), takes the median of measured.FIGURE from bench-results/board-throughput.json and exits 0
#       (good) when it is ≤ LIMIT, 1 (bad) when above, 125 (skip) when the commit cannot be built or
#       measured. Each run's figures are appended to bench-results/bisect-log.jsonl in this checkout.
#   scripts/bench-bisect.sh --at COMMIT FIGURE LIMIT [RUNS]
#       The same for one commit, in a detached worktree /work/wt/bisect-<sha> made for it (node_modules
#       linked from this checkout's; no npm install) and removed afterwards.
#
# Bisecting any figure later, e.g. the page's main-thread CPU per change:
#   git worktree add --detach /work/wt/bisect-run BAD && cd /work/wt/bisect-run
#   ln -s "$HARNESS/node_modules" node_modules
#   git bisect start --first-parent BAD GOOD
#   git bisect run "$HARNESS/scripts/bench-bisect.sh" pageTaskUsPerChange 150
#   git bisect reset && cd - && git worktree remove --force /work/wt/bisect-run
# Pick a CPU figure (page…UsPerChange, boardCpuUsPerChange) as the criterion on a shared machine:
# waiting for a core inflates the latencies (publishToDomMsP99 …) but not the CPU a change costs.
# LIMIT: midway between the figure measured at GOOD and at BAD (measure both ends with --at first).
set -uo pipefail

HARNESS=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ "${1:-}" == "--at" ]]; then
  commit=$(git -C "$HARNESS" rev-parse --short "$2") || exit 2
  dir=/work/wt/bisect-$commit
  git -C "$HARNESS" worktree add --detach "$dir" "$commit" >/dev/null || exit 2
  ln -s "$(readlink -f "$HARNESS/node_modules")" "$dir/node_modules"
  (cd "$dir" && "$HARNESS/scripts/bench-bisect.sh" "${@:3}")
  status=$?
  git -C "$HARNESS" worktree remove --force "$dir"
  exit $status
fi

figure=${1:?figure key, e.g. pageTaskUsPerChange}
limit=${2:?limit: above it the commit is bad}
runs=${3:-1}
board=$(git rev-parse --show-toplevel) || exit 125
sha=$(git -C "$board" rev-parse --short HEAD)
result="$HARNESS/bench-results/board-throughput.json"
log="$HARNESS/bench-results/bisect-log.jsonl"
mkdir -p "$HARNESS/bench-results"

# build the commit's product as its own `npm run build` would (old commits had no page bundle)
rm -rf "$board/dist"
(cd "$board" && node node_modules/typescript/bin/tsc -p tsconfig.build.json) >/dev/null 2>&1 ||
  echo "[bisect] $sha: tsc reported errors; measuring what it emitted" >&2
if [[ -f "$board/scripts/build-web.mjs" ]]; then
  (cd "$board" && node scripts/build-web.mjs) || exit 125
fi
[[ -f "$board/dist/bin/hanvisa.js" ]] || exit 125

values=()
for ((i = 1; i <= runs; i++)); do
  stamp=$(date -u +%Y-%m-%dT%H:%M:%S)
  (cd "$HARNESS" && BENCH_BOARD_ROOT="$board" npx vitest run --config vitest.bench.config.ts \
    test/bench/board-throughput.bench.test.ts) >"$HARNESS/bench-results/bisect-$sha-$i.log" 2>&1
  # the bench writes its JSON before its own checks: a run counts if the JSON is from this run
  value=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (r.at.slice(0, 19) < process.argv[2]) process.exit(1);
    const v = r.measured[process.argv[3]];
    if (typeof v !== "number") process.exit(1);
    process.stdout.write(String(v));
  ' "$result" "$stamp" "$figure") || { echo "[bisect] $sha run $i: no figure (see bench-results/bisect-$sha-$i.log)" >&2; continue; }
  values+=("$value")
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const line = { commit: process.argv[2], run: Number(process.argv[3]), load1m: require("os").loadavg()[0], at: r.at, measured: r.measured, baseline: r.baseline };
    require("fs").appendFileSync(process.argv[4], JSON.stringify(line) + "\n");
  ' "$result" "$sha" "$i" "$log"
  echo "[bisect] $sha run $i: $figure = $value (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
((${#values[@]} > 0)) || exit 125

median=$(printf '%s\n' "${values[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "[bisect] $sha: $figure median $median (limit $limit)" >&2
awk -v m="$median" -v l="$limit" 'BEGIN { exit !(m <= l) }'
