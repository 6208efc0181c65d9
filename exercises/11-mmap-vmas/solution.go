//go:build solution

package vma

import "github.com/vmkata/vmkata/reference/vma"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct VMA set.

// Set is the reference VMA set.
type Set = vma.Set

// NewSet is the reference constructor.
var NewSet = vma.NewSet
