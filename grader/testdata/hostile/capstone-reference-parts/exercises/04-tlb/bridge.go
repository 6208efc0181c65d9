package tlb

import (
	"github.com/vmkata/vmkata/reference/phys"
	reftlb "github.com/vmkata/vmkata/reference/tlb"
)

// The reference's TLB and buddy allocator, re-exported from exercise 04.
var (
	RefTLB   = reftlb.New
	RefBuddy = phys.NewBuddy
)
