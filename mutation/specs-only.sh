#!/bin/sh
# Runs a test binary with the deterministic specs only: `make mutation`
# hands it to `go test -exec`, so a mutant's verdict never rests on a
# random property (labelled "property"), and is the same at every run.
exec "$@" '-ginkgo.label-filter=!property'
