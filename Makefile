# vmkata: the kit's own build. `make test` is the one command that proves the kit.
GO          ?= go
BIN         := $(CURDIR)/bin
STATICCHECK := $(BIN)/staticcheck
STATICCHECK_VERSION := v0.8.2

# Everything except the learner exercises, which fail on their stubs by design
# (the self-check grades them instead).
KIT_PKGS = $(shell $(GO) list ./... | grep -v '/exercises/')

.PHONY: test unit hostile selfcheck bench lint fmt tools clean

test: unit hostile selfcheck

unit:
	$(GO) vet ./...
	$(GO) test -count=1 -skip '^TestHostileSubmissions$$' $(KIT_PKGS)

# The sealed grader against every hostile submission in grader/testdata/hostile:
# the sound score, and nothing left running or changed.
hostile:
	$(GO) test -count=1 -timeout 30m -run '^TestHostile' ./grader/

# For every exercise: the solution build earns every point, the stub none,
# and every mutant fails at least one spec.
selfcheck:
	$(GO) run ./grader selfcheck

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
