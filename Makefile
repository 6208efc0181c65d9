# vmkata: the kit's own build. `make test` is the one command that proves the kit.
GO          ?= go
BIN         := $(CURDIR)/bin
STATICCHECK := $(BIN)/staticcheck
STATICCHECK_VERSION := v0.8.2
GREMLINS    := $(BIN)/gremlins
GREMLINS_VERSION := v0.6.0

# Everything except the learner exercises, which fail on their stubs by design
# (the self-check grades them instead); the teaching solutions below them
# (exercises/NN-topic/teaching) must pass.
KIT_PKGS = $(shell $(GO) list ./... | grep -v '/exercises/[^/]*$$')

# Learners use macOS and Windows too: every command and test binary must
# build there.
CROSS_OS = darwin windows

.PHONY: test unit hostile selfcheck sweep mutation $(addprefix mutation-,$(MUTATION_PKGS)) crossbuild bench bench-peers lint fmt tools clean gradescope

test: crossbuild unit hostile selfcheck

unit:
	$(GO) vet ./...
	$(GO) test -count=1 -skip '^TestHostileSubmissions$$' $(KIT_PKGS)

# The sealed grader against every hostile submission in grader/testdata/hostile:
# the sound score, and nothing left running or changed (about five minutes).
hostile:
	$(GO) test -count=1 -timeout 30m -run '^TestHostile' ./grader/

# Test binaries are named after the last element of the import path: the
# teaching solutions (exercises/NN-topic/teaching) get a folder each.
TEACHING_PKGS = $(shell $(GO) list ./exercises/... | grep '/teaching$$')

crossbuild:
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
	for os in $(CROSS_OS); do \
	  echo "GOOS=$$os: build, vet, test binaries"; \
	  GOOS=$$os $(GO) build ./... && \
	  GOOS=$$os $(GO) vet ./... && \
	  mkdir -p "$$out/$$os" && \
	  GOOS=$$os $(GO) test -c -o "$$out/$$os/" $$($(GO) list ./... | grep -v '/teaching$$') || exit 1; \
	  for p in $(TEACHING_PKGS); do \
	    d="$$out/$$os/$$(echo $$p | tr / _)" && mkdir -p "$$d" && \
	    GOOS=$$os $(GO) test -c -o "$$d/" $$p || exit 1; \
	  done; \
	done

# For every exercise: the solution build earns every point, the stub none,
# and every mutant fails at least one spec.
selfcheck:
	$(GO) run ./grader selfcheck

# Gradescope's autograder zip: the kit (hidden specs included) with setup.sh
# and run_autograder; EXERCISE=04 makes one that grades exercise 04 only.
gradescope:
	$(GO) run ./delivery/gradescope -o dist/gradescope.zip $(if $(EXERCISE),-exercise $(EXERCISE))
# The self-check at five seeds: the solution, random properties included,
# must pass at each, and every mutant must lose the same points at each.
# Mutants are graded on the deterministic specs alone, as in `make test`:
# properties carry no points, and a mutant that fails one spends most of its
# run in rapid's shrinking. About 25 minutes on two cores; not part of
# `make test`.
sweep:
	$(GO) run ./grader selfcheck --seeds 5

# Mutation testing of the reference code the exercises cover, with the
# exercises' deterministic specs as the only tests: for each package, its
# spec suite (the test function that runs Ginkgo) and, through
# mutation/specs-only.sh, no random property. Gremlins mutates only code the
# suite covers; the files no exercise covers are left out. One package at a
# time, one worker: it is slow (see mutation/REPORT.md). Not part of
# `make test`. MUTATION_PKGS=tlb runs one package.
MUTATION_PKGS ?= addr pagetable tlb mmu replace faulthandler vma heapstack phys workingset ctxswitch shootdown
MUTATION_SUITE_addr         := TestAddr
MUTATION_SUITE_pagetable    := TestPageTable
MUTATION_SUITE_tlb          := TestTLB
MUTATION_SUITE_mmu          := TestMMU
MUTATION_SUITE_replace      := TestReplace
MUTATION_SUITE_faulthandler := TestFaultHandler
MUTATION_SUITE_vma          := TestVMA
MUTATION_SUITE_heapstack    := TestHeapStack
MUTATION_SUITE_phys         := TestBuddySpecs
MUTATION_SUITE_workingset   := TestWorkingSet
MUTATION_SUITE_ctxswitch    := TestSwitch
MUTATION_SUITE_shootdown    := TestShootdown
# Files of those packages no exercise covers (in workingset, the kernel
# workload the specs run the learner's controller in).
MUTATION_SKIP_addr       := (align|format|geometry|parse)\.go$$
MUTATION_SKIP_tlb        := twolevel\.go$$
MUTATION_SKIP_replace    := (clockpro|linux|random|registry|simulate|twoq|workingset|wsclock)\.go$$
MUTATION_SKIP_phys       := (bitmap|check|freelist|memory|refcount)\.go$$
MUTATION_SKIP_workingset := run\.go$$

mutation: $(addprefix mutation-,$(MUTATION_PKGS))

# The time limit of a mutant is a multiple of gremlins' first (coverage)
# run, so that run must not include building the dependencies: they are
# built first.
mutation-%: $(GREMLINS)
	@echo "== reference/$*"
	$(GO) test -cover -run='^$$' ./reference/$*/ >/dev/null
	GOFLAGS='-exec=$(CURDIR)/mutation/specs-only.sh -run=^$(MUTATION_SUITE_$*)$$' \
	  $(GREMLINS) unleash --workers 1 --timeout-coefficient 10 \
	  $(if $(MUTATION_SKIP_$*),--exclude-files '$(MUTATION_SKIP_$*)') ./reference/$*

$(GREMLINS):
	GOBIN=$(BIN) $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)

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

tools: $(STATICCHECK) $(GREMLINS)

clean:
	rm -rf $(BIN) dist
