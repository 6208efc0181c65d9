//go:build solution

package replace

import "github.com/vmkata/vmkata/reference/replace"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on correct policies.

// The reference policies.
type (
	ARC    = replace.ARC
	SIEVE  = replace.SIEVE
	S3FIFO = replace.S3FIFO
)

// The reference constructors.
var (
	NewARC    = replace.NewARC
	NewSIEVE  = replace.NewSIEVE
	NewS3FIFO = replace.NewS3FIFO
)
