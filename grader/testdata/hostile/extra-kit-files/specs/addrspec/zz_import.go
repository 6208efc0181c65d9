package addrspec

// The specs run in the same binary as the reference export above.
import _ "github.com/vmkata/vmkata/reference/addr"
