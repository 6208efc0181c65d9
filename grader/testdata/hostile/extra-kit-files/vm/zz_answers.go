package vm

// The answers to exercise 01, in the vocabulary package the learner's code
// may import. Each is the learner's function's twin.
var (
	HostileSplit       func(g Geometry, va VAddr) (VPN, uint64, error)
	HostileJoin        func(g Geometry, vpn VPN, offset uint64) (VAddr, error)
	HostileIndex       func(g Geometry, va VAddr, level int) (int, error)
	HostileIsCanonical func(g Geometry, va VAddr) bool
	HostileCanonical   func(g Geometry, va VAddr) VAddr
	HostileLevelSpan   func(g Geometry, level int) (PageSize, error)
)
