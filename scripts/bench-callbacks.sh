#!/bin/sh
# Runs the callback benchmarks in interleaved rounds and prints each round's
# ratios against its own baseline, then the medians (docs/performance.md).
#
#   scripts/bench-callbacks.sh [ROUNDS]        (default 5)
#
# One round is one `go test -bench` run of BenchmarkCallbacks (floor,
# embedded, redis back to back) and one of BenchmarkCallbacksLargeData
# (example, then 8,000 units), so that a ratio never compares runs made
# minutes apart on a machine whose speed drifts. The redis mode needs
# REDIS_ADDR (start a throwaway server as docs/performance.md shows).
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-5}
out=$(mktemp)
trap 'rm -f "$out" "$out.test"' EXIT
go test -c -o "$out.test" ./sim/
i=1
while [ "$i" -le "$rounds" ]; do
	(cd sim && "$out.test" -test.run '^$' -test.bench 'Callbacks$|CallbacksLargeData' -test.benchtime 5000x -test.count 1) |
		grep '^Benchmark' | sed "s/^/$i /" >>"$out"
	i=$((i + 1))
done
awk '
function metric(unit,   i) { for (i = 3; i <= NF; i++) if ($i == unit) return $(i - 1); return "" }
function median(list,   a, n, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	name = $2; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
	r = $1; rounds[r] = 1
	tput[r, name] = metric("callbacks/s"); p99[r, name] = metric("p99-ms"); cpu[r, name] = metric("cpu-µs/callback")
}
END {
	split("Callbacks/embedded Callbacks/redis", modes, " ")
	for (r = 1; (r, "Callbacks/floor") in tput; r++) {
		line = sprintf("round %d: floor %d/s p99 %.1f ms cpu %.0f µs", r, tput[r, "Callbacks/floor"], p99[r, "Callbacks/floor"], cpu[r, "Callbacks/floor"])
		for (m = 1; m <= 2; m++) {
			k = modes[m]
			if (!((r, k) in tput)) continue
			x = tput[r, k] / tput[r, "Callbacks/floor"]; y = p99[r, k] / p99[r, "Callbacks/floor"]
			z = cpu[r, "Callbacks/floor"] / cpu[r, k]
			line = line sprintf(" | %s %d/s = %.2fx, p99 %.1f ms = %.2fx, cpu %.0f µs = %.2fx", substr(k, 11), tput[r, k], x, p99[r, k], y, cpu[r, k], z)
			ratio[k] = ratio[k] " " x; pratio[k] = pratio[k] " " y; abs[k] = abs[k] " " tput[r, k]; absp[k] = absp[k] " " p99[r, k]; cratio[k] = cratio[k] " " z
		}
		big = "CallbacksLargeData/8000units-100000records"; ex = "CallbacksLargeData/example"
		if ((r, big) in tput && (r, ex) in tput) {
			x = tput[r, big] / tput[r, ex]; large = large " " x
			z = cpu[r, ex] / cpu[r, big]; largecpu = largecpu " " z
			line = line sprintf(" | large data %d vs %d/s = %.2fx, cpu %.0f vs %.0f µs = %.2fx", tput[r, big], tput[r, ex], x, cpu[r, big], cpu[r, ex], z)
		}
		floor = floor " " tput[r, "Callbacks/floor"]; floorp = floorp " " p99[r, "Callbacks/floor"]
		print line
	}
	printf "medians over %d rounds:\n  floor: %d/s, p99 %.1f ms", r - 1, median(floor), median(floorp)
	for (m = 1; m <= 2; m++) {
		k = modes[m]
		if (k in ratio) printf "\n  %s: %d/s, p99 %.1f ms; throughput %.2fx the floor (target %s), p99 %.2fx (target <= 3x); CPU per callback: the floor%s is %.2fx", substr(k, 11), median(abs[k]), median(absp[k]), median(ratio[k]), (m == 1 ? ">= 0.6x" : ">= 0.5x"), median(pratio[k]), (m == 2 ? " (Redis server not counted)" : ""), median(cratio[k])
	}
	if (large != "") printf "\n  large data: throughput %.2fx the example (target within 10%%); CPU per callback: the example is %.2fx", median(large), median(largecpu)
	printf "\n"
}' "$out"
