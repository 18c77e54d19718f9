#!/bin/sh
# lanes' GEMV path against numpy's x @ W (OpenBLAS) on one core, float32, in one run, alternating:
#
#	bench/peers/gemv_compare.sh [ROUNDS]    (default 5; run from anywhere)
#
# Each round runs BenchmarkGemv's float32 cases on the assembly paths (kernels.Gemm with m = 1 or
# n = 1, -cpu 1) and then gemv_numpy.py with OPENBLAS_NUM_THREADS=1. It prints every measurement,
# then per shape the medians for the best ISA and numpy's time over lanes' (above 1: lanes is
# faster). numpy is Debian's
# python3-numpy on libopenblas0-pthread (/usr/bin/python3, or $LANES_PYTHON).
set -eu
rounds=${1:-5}
cd "$(dirname "$0")/../.."
py=${LANES_PYTHON:-/usr/bin/python3}
mkdir -p .cache
go test -c -o .cache/bench.test ./bench
log=.cache/gemv_compare.log
: >"$log"
i=1
while [ "$i" -le "$rounds" ]; do
	(cd bench && ../.cache/bench.test -test.run '^$' -test.bench 'Gemv/f32/.*/lanes-(avx512|avx2|neon)$' \
		-test.benchtime 0.3s -test.cpu 1) | grep -E '^BenchmarkGemv' | tee -a "$log"
	OPENBLAS_NUM_THREADS=1 "$py" bench/peers/gemv_numpy.py --seconds 0.5 | tee -a "$log"
	i=$((i + 1))
done
awk '
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
/^BenchmarkGemv\/f32\// {
	split($1, p, "/"); shape = p[3]; isa = p[4]; sub(/-[0-9]+$/, "", isa)
	if (best == "") best = isa
	if (isa == best) { n = ++ln[shape]; lt[shape, n] = $3 }
}
/^numpy gemv/ {
	split($3, p, "/"); shape = p[2]
	for (f = 1; f <= NF; f++) { split($f, kv, "="); if (kv[1] == "ns_per_op") { n = ++pn[shape]; pt[shape, n] = kv[2] } }
	if (!(shape in seen)) { seen[shape] = 1; order[++nshapes] = shape }
}
END {
	if (!nshapes || best == "") { print "gemv_compare: missing measurements"; exit 1 }
	for (s = 1; s <= nshapes; s++) {
		shape = order[s]
		for (i = 1; i <= ln[shape]; i++) a[i] = lt[shape, i]
		for (i = 1; i <= pn[shape]; i++) b[i] = pt[shape, i]
		x = median(a, ln[shape]); y = median(b, pn[shape])
		printf "median of %d: f32 %s: lanes (%s) %.1f us, numpy %.1f us: numpy takes %.2fx lanes'"'"' time\n", ln[shape], shape, best, x / 1000, y / 1000, y / x
	}
}' "$log"
