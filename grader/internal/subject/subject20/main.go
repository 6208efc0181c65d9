// Command subject20 is the subject process of exercise 20-capstone: it serves the
// learner's package to the judge (see package subject), and with it every
// part of theirs it wires in (exercises 03-13, built from their files).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/20-capstone"
	"github.com/vmkata/vmkata/grader/internal/subject"
	"github.com/vmkata/vmkata/vm"
)

func main() {
	subject.Serve(map[string]any{
		"NewPageTable": ex.NewPageTable,
		"NewTLB":       ex.NewTLB,
		"NewMMU": func(g vm.Geometry, tlb vm.TLB, mem vm.PhysMem, cost vm.CostModel, software bool,
			refill func(vm.ASID, vm.VAddr, vm.Access) error) (vm.MMU, error) {
			return ex.NewMMU(vm.MMUConfig{Geometry: g, TLB: tlb, Mem: mem, Cost: cost, SoftwareTLB: software, Refill: refill})
		},
		"NewPolicy":         ex.NewPolicy,
		"NewFaultHandler":   ex.NewFaultHandler,
		"NewVMASet":         ex.NewVMASet,
		"Brk":               ex.Brk,
		"ClassifyFault":     ex.ClassifyFault,
		"NewFrameAllocator": ex.NewFrameAllocator,
	})
}
