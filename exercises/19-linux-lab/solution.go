//go:build solution

package linuxlab

import "github.com/vmkata/vmkata/reference/linuxlab"

// The solution build (go test -tags solution) runs the specs on the
// reference, proving they pass on a correct lab.

// The bounds of the experiments.
const (
	MaxTouchPages = linuxlab.MaxTouchPages
	HugeSize      = linuxlab.HugeSize
)

// The reference's parsers and experiments.
var (
	ParseMaps       = linuxlab.ParseMaps
	ParseSmaps      = linuxlab.ParseSmaps
	Classify        = linuxlab.Classify
	ReadSmaps       = linuxlab.ReadSmaps
	MinorFaults     = linuxlab.MinorFaults
	TouchFresh      = linuxlab.TouchFresh
	DropPages       = linuxlab.DropPages
	ProtectFault    = linuxlab.ProtectFault
	BusPastEOF      = linuxlab.BusPastEOF
	PrivateVsShared = linuxlab.PrivateVsShared
	HugePage        = linuxlab.HugePage
)
