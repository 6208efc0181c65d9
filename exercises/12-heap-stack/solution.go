//go:build solution

package heapstack

import "github.com/vmkata/vmkata/reference/heapstack"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on correct heap and stack decisions.

// Brk is the reference brk(2).
var Brk = heapstack.Brk

// ClassifyFault is the reference step 1 of the page-fault handler.
var ClassifyFault = heapstack.ClassifyFault
