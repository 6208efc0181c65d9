# vmkata: the kit's own build. `make test` is the one command that proves the kit.
GO          ?= go
BIN         := $(CURDIR)/bin
STATICCHECK := $(BIN)/staticcheck
STATICCHECK_VERSION := v0.8.2

# Everything except the learner exercises, which fail on their stubs by design
# (the self-check grades them instead); the teaching solutions below them
# (exercises/NN-topic/teaching) must pass.
KIT_PKGS = $(shell $(GO) list ./... | grep -v '/exercises/[^/]*$$')

# Learners use macOS and Windows too: every command and test binary must
# build there.
CROSS_OS = darwin windows

.PHONY: test unit hostile selfcheck sweep crossbuild bench bench-peers lint fmt tools clean gradescope

test: crossbuild unit hostile selfcheck

unit:
	$(GO) vet ./...
	$(GO) test -count=1 -skip '^TestHostileSubmissions$$' $(KIT_PKGS)

# The sealed grader against every hostile submission in grader/testdata/hostile:
# the sound score, and nothing left running or changed (about five minutes).
hostile:
	$(GO) test -count=1 -timeout 30m -run '^TestHostile' ./grader/

crossbuild:
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
	for os in $(CROSS_OS); do \
	  echo "GOOS=$$os: build, vet, test binaries"; \
	  GOOS=$$os $(GO) build ./... && \
	  GOOS=$$os $(GO) vet ./... && \
	  mkdir -p "$$out/$$os" && GOOS=$$os $(GO) test -c -o "$$out/$$os/" ./... || exit 1; \
	done

# For every exercise: the solution build earns every point, the stub none,
# and every mutant fails at least one spec.
selfcheck:
	$(GO) run ./grader selfcheck

# Gradescope's autograder zip: the kit (hidden specs included) with setup.sh
# and run_autograder; EXERCISE=04 makes one that grades exercise 04 only.
gradescope:
	$(GO) run ./delivery/gradescope -o dist/gradescope.zip $(if $(EXERCISE),-exercise $(EXERCISE))
# The self-check at five seeds: every mutant must lose the same points at
# each, so no verdict rests on a random property's luck. Slower; not part of
# `make test`.
sweep:
	$(GO) run ./grader selfcheck --seeds 5 --mutant-filter ''


bench:
	$(GO) test -run='^$$' -bench=. -benchmem $(KIT_PKGS)

# vmsim against libCacheSim's cachesim, end to end on one generated trace:
# CACHESIM=path/to/cachesim (built from libCacheSim's source; see the
# script's header for that and its other settings). Without it, vmsim alone.
bench-peers:
	bash scripts/bench-peers.sh

lint: $(STATICCHECK)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags solution ./...
	$(STATICCHECK) ./...
	$(STATICCHECK) -tags solution ./...

$(STATICCHECK):
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

tools: $(STATICCHECK)

clean:
	rm -rf $(BIN) dist
