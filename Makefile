# lanes: `make demo` shows what lanes does on this machine; `make test` runs every check.
# Both install what they need when it is missing, and say so.

GO      ?= go
GOBIN   ?= $(shell $(GO) env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)

.PHONY: all demo test vet unit purego bench

all: test

# ---- demo -------------------------------------------------------------------------------------
demo:
	$(GO) run ./bench/cmd/speedtable

# ---- tests ------------------------------------------------------------------------------------
test: vet unit purego
	@echo "make test: all checks passed"

vet:
	@echo "== go vet (amd64, asmdecl included)"
	$(GO) vet ./...

# Every ISA path this machine supports runs in-process; the exhaustive 2^32 checks run here too.
unit:
	@echo "== unit tests on every supported ISA path, exhaustive float32 checks included"
	$(GO) test -count=1 -timeout 20m ./...

purego:
	@echo "== pure-Go build (-tags purego), sampled tests"
	$(GO) vet -tags purego ./...
	$(GO) test -tags purego -short -count=1 ./...

# ---- benchmarks -------------------------------------------------------------------------------
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1s ./bench/
