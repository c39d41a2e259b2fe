#!/usr/bin/env bash
# Every criterion benchmark of this checkout side by side with a baseline revision, in one run:
# both sets of bench executables are built first, then each bench binary runs alternately
# (baseline, this checkout, baseline, ...) for ROUNDS rounds, so machine noise hits both sides
# alike. Prints each benchmark's median per side (the median of its per-round medians) and the
# ratio this/baseline; a ratio above 1.10 is a slowdown worth a sentence in the change's note.
#
#   benches/compare.sh BASE_REV [ROUNDS] [BENCH...]      e.g. benches/compare.sh main~3 3 core train
#
# BENCH is a bench target (core, train, frame; all by default). The baseline is built in a
# worktree of its own under $TMPDIR with its own target directory.
set -euo pipefail

base=${1:?usage: benches/compare.sh BASE_REV [ROUNDS] [BENCH...]}
rounds=${2:-2}
shift $(($# < 2 ? $# : 2))
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(core train frame)

root=$(git rev-parse --show-toplevel)
rev=$(git -C "$root" rev-parse --short "$base")
tree=${TMPDIR:-/tmp}/optiscope-bench-$rev
out=${TMPDIR:-/tmp}/optiscope-compare-$rev
[ -d "$tree" ] || git -C "$root" worktree add --detach "$tree" "$rev" >/dev/null
rm -rf "$out"
mkdir -p "$out"

# The executable of each bench target of the checkout at $1, one `name path` per line.
executables() {
    (cd "$1" && cargo bench --no-run --message-format=json 2>/dev/null) | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and "bench" in m["target"]["kind"] and m.get("executable"):
        print(m["target"]["name"], m["executable"])'
}

echo "building the baseline ($rev) and this checkout's benches ..." >&2
executables "$tree" >"$out/base.list"
executables "$root" >"$out/this.list"

for ((r = 1; r <= rounds; r++)); do
    for bench in "${benches[@]}"; do
        for side in base this; do
            dir=$([ $side = base ] && echo "$tree" || echo "$root")
            exe=$(awk -v b="$bench" '$1 == b { print $2 }' "$out/$side.list")
            [ -n "$exe" ] || { echo "no bench '$bench' on the $side side" >&2; exit 1; }
            echo "round $r/$rounds: $bench ($side)" >&2
            (cd "$dir" && CRITERION_HOME="$out/$side/$r" "$exe" --bench --noplot \
                --warm-up-time 1 --measurement-time 3 >"$out/$side-$bench-$r.log" 2>&1)
        done
    done
done

python3 - "$out" "$rounds" <<'EOF'
import json, pathlib, statistics, sys
out, rounds = pathlib.Path(sys.argv[1]), int(sys.argv[2])

def medians(side):
    found = {}
    for r in range(1, rounds + 1):
        for est in (out / side / str(r)).glob("**/new/estimates.json"):
            name = str(est.parent.parent.relative_to(out / side / str(r)))
            found.setdefault(name, []).append(json.loads(est.read_text())["median"]["point_estimate"])
    return {k: statistics.median(v) for k, v in found.items()}

def fmt(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"

base, this = medians("base"), medians("this")
print(f"{'benchmark':70} {'baseline':>10} {'this':>10} {'ratio':>6}")
for name in sorted(set(base) | set(this)):
    b, t = base.get(name), this.get(name)
    ratio = f"{t / b:.3f}" if b and t else "-"
    print(f"{name:70} {fmt(b) if b else '-':>10} {fmt(t) if t else '-':>10} {ratio:>6}")
EOF
