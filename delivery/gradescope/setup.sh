#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's
# image, with the autograder zip unpacked in $AUTOGRADER_ROOT/source.
#
# It installs the Go release the kit's go.mod names (its "go" line) unless a
# go command at least as new is already on PATH, then fills the module
# cache and builds the kit's third-party packages, so that grading a
# submission needs no network and compiles only the kit's own code.
#
# AUTOGRADER_ROOT defaults to /autograder, Gradescope's layout.
set -euo pipefail

root="${AUTOGRADER_ROOT:-/autograder}"
kit="$root/source"

need=$(awk '$1 == "go" { print $2; exit }' "$kit/go.mod")
if [ -z "$need" ]; then
	echo "setup.sh: $kit/go.mod has no go line" >&2
	exit 1
fi
case "$need" in
*.*.*) ;;
*) need="$need.0" ;; # "go 1.26" names the release 1.26.0
esac

have=""
if command -v go >/dev/null 2>&1; then
	have=$(cd / && go env GOVERSION)
	have="${have#go}"
	have="${have%% *}"
fi

if [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n 1)" = "$need" ]; then
	echo "setup.sh: go $have is on PATH; go.mod needs $need"
else
	case "$(uname -m)" in
	x86_64 | amd64) arch=amd64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*)
		echo "setup.sh: no Go release for machine $(uname -m)" >&2
		exit 1
		;;
	esac
	echo "setup.sh: installing go $need for linux-$arch (found: ${have:-none})"
	if ! command -v curl >/dev/null 2>&1; then
		apt-get update
		apt-get install -y --no-install-recommends curl ca-certificates
	fi
	tmp=$(mktemp -d)
	curl -fsSL "https://go.dev/dl/go$need.linux-$arch.tar.gz" -o "$tmp/go.tar.gz"
	tar -C "$tmp" -xzf "$tmp/go.tar.gz"
	rm -rf /usr/local/go
	mv "$tmp/go" /usr/local/go
	rm -rf "$tmp"
	ln -sf /usr/local/go/bin/go /usr/local/go/bin/gofmt /usr/local/bin/
	go version
fi

cd "$kit"
go mod download
go list -deps -test -f '{{if and .Module (not .Module.Main)}}{{.ImportPath}}{{end}}' ./... | sort -u | xargs -r go build
echo "setup.sh: ready"
