# vmkata: the kit's own build. `make test` is the one command that proves the kit.
GO          ?= go
BIN         := $(CURDIR)/bin
STATICCHECK := $(BIN)/staticcheck
STATICCHECK_VERSION := v0.8.2

# Everything except the learner exercises, which fail on their stubs by design
# (the self-check grades them instead).
KIT_PKGS = $(shell $(GO) list ./... | grep -v '/exercises/')

.PHONY: test unit selfcheck sweep bench lint fmt tools clean

test: unit selfcheck

unit:
	$(GO) vet ./...
	$(GO) test -count=1 $(KIT_PKGS)

# For every exercise: the solution build earns every point, the stub none,
# and every mutant fails at least one spec.
selfcheck:
	$(GO) run ./grader selfcheck

# The self-check at five seeds: every mutant must lose the same points at
# each, so no verdict rests on a random property's luck. Slower; not part of
# `make test`.
sweep:
	$(GO) run ./grader selfcheck --seeds 5

bench:
	$(GO) test -run='^$$' -bench=. -benchmem $(KIT_PKGS)

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
	rm -rf $(BIN)
