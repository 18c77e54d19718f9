#!/bin/sh
# lanes' SimpleConvNet against PyTorch's on one core, in one run, alternating:
#
#	bench/peers/cnn_compare.sh [ROUNDS]    (default 3; run from anywhere)
#
# Each round trains one epoch with each (Adam 1e-3, batches of 100, shuffled; lanes:
# BenchmarkMNISTCNN/simplecnn-1epoch with -cpu 1, PyTorch: cnn_torch.py with one thread) and times
# the classification of the 10,000 test images in batches of 1000 (BenchmarkMNISTCNNInfer, and
# model(x) under torch.no_grad()). It prints every measurement, then the medians and lanes' time as
# a fraction of PyTorch's. MNIST must be in the data folder (`make data`); PyTorch is Debian's
# python3-torch (/usr/bin/python3, or $LANES_PYTHON).
set -eu
rounds=${1:-3}
cd "$(dirname "$0")/../.."
py=${LANES_PYTHON:-/usr/bin/python3}
mkdir -p .cache
go test -c -o .cache/bench.test ./bench
log=.cache/cnn_compare.log
: >"$log"
i=1
while [ "$i" -le "$rounds" ]; do
	(cd bench && ../.cache/bench.test -test.run '^$' -test.bench 'MNISTCNN/simplecnn-1epoch|MNISTCNNInfer/simplecnn' \
		-test.benchtime 1x -test.cpu 1) | grep -E '^Benchmark' | tee -a "$log"
	OMP_NUM_THREADS=1 "$py" bench/peers/cnn_torch.py --threads 1 | tee -a "$log"
	i=$((i + 1))
done
awk '
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
/^BenchmarkMNISTCNN\/simplecnn-1epoch/ { for (f = 1; f <= NF; f++) { if ($f == "train-s") lt[++nlt] = $(f-1); if ($f == "test-acc") la[++nla] = $(f-1) } }
/^BenchmarkMNISTCNNInfer\/simplecnn/ { for (f = 1; f <= NF; f++) if ($f == "infer-s") li[++nli] = $(f-1) }
/^torch train/ { for (f = 1; f <= NF; f++) { split($f, kv, "="); if (kv[1] == "seconds") pt[++npt] = kv[2]; if (kv[1] == "test_acc") pa[++npa] = kv[2] } }
/^torch infer/ { for (f = 1; f <= NF; f++) { split($f, kv, "="); if (kv[1] == "seconds") pi[++npi] = kv[2] } }
END {
	if (!nlt || !npt) { print "cnn_compare: missing measurements"; exit 1 }
	a = median(lt, nlt); b = median(pt, npt); c = median(li, nli); d = median(pi, npi)
	printf "median of %d: one epoch lanes %.2f s (test accuracy %.4f), PyTorch %.2f s (%.4f): lanes takes %.2fx PyTorch'"'"'s time\n", nlt, a, median(la, nla), b, median(pa, npa), a / b
	printf "median of %d: inference of 10,000 images lanes %.3f s, PyTorch %.3f s: lanes takes %.2fx PyTorch'"'"'s time\n", nli, c, d, c / d
}' "$log"
