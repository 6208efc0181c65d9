// Command subject05 is the subject process of exercise 05-mmu: it serves the
// learner's package to the judge (see package subject).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/05-mmu"
	"github.com/vmkata/vmkata/grader/internal/subject"
	"github.com/vmkata/vmkata/vm"
)

func main() {
	subject.Serve(map[string]any{
		"New": func(g vm.Geometry, tlb vm.TLB, mem vm.PhysMem, cost vm.CostModel, software bool,
			refill func(vm.ASID, vm.VAddr, vm.Access) error) (*ex.MMU, error) {
			return ex.New(vm.MMUConfig{Geometry: g, TLB: tlb, Mem: mem, Cost: cost, SoftwareTLB: software, Refill: refill})
		},
		"EAT":        ex.EAT,
		"EATWithTLB": ex.EATWithTLB,
	})
}
