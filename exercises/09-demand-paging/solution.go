//go:build solution

package faulthandler

import "github.com/vmkata/vmkata/reference/faulthandler"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct page-fault handler.

// Handler is the reference page-fault handler.
type Handler = faulthandler.Handler

// New is the reference constructor.
var New = faulthandler.New
