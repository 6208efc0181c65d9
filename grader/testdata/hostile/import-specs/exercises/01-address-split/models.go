package addr

import "github.com/vmkata/vmkata/specs/addrspec"

// funcs keeps the specs package linked in, models and all.
var funcs addrspec.Funcs
