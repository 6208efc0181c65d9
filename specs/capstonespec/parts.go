package capstonespec

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

// Parts are the constructors exercise 20 wires into the kernel: one per
// seam of kernel.Config, each with that field's signature.
type Parts struct {
	NewPageTable      func(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (vm.PageTable, error)
	NewTLB            func(cfg vm.TLBConfig) (vm.TLB, error)
	NewMMU            func(cfg vm.MMUConfig) (vm.MMU, error)
	NewPolicy         func(name string, frames int) (vm.Policy, error)
	NewFaultHandler   func() vm.FaultHandler
	NewVMASet         func(pageSize vm.PageSize, limit vm.AddrRange) (vm.VMASet, error)
	Brk               func(s vm.VMASet, ps vm.PageSize, h vm.Heap, req vm.VAddr) (vm.Heap, vm.AddrRange, error)
	ClassifyFault     func(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict
	NewFrameAllocator func(frames int) (vm.FrameAllocator, error)
}

// Policies are the policy names a learner's NewPolicy must serve for the
// policy part to be theirs: those the shipped scenarios configure (clock
// is the kernel's default) and those the traces replay.
var Policies = []string{"clock", "lru", "arc", "s3-fifo", "fifo"}

// part is one part of the kernel a learner may supply.
type part struct {
	id       string // the rule's short name, e.g. "tlb"
	name     string // in words, e.g. "TLB"
	exercise string // where the learner built it, e.g. "04"
	fn       string // the function of exercise 20 that supplies it
	// probe calls the learner's function once on a small valid input, so
	// that a function that is not written yet panics.
	probe func(Parts)
	// plug sets the seam of cfg to the learner's part.
	plug func(cfg *kernel.Config, p Parts) error
}

// parts lists every part, in the order of the exercises.
var parts = []part{
	{"page-table", "page table", "03", "NewPageTable",
		func(p Parts) { _, _ = p.NewPageTable(vm.X86_64, probeMem(), probeFrames()) },
		func(cfg *kernel.Config, p Parts) error { cfg.NewPageTable = p.NewPageTable; return nil }},
	{"tlb", "TLB", "04", "NewTLB",
		func(p Parts) { _, _ = p.NewTLB(vm.TLBConfig{Entries: 8, Ways: 2}) },
		func(cfg *kernel.Config, p Parts) error { cfg.NewTLB = p.NewTLB; return nil }},
	{"mmu", "MMU", "05", "NewMMU",
		func(p Parts) {
			t, _ := tlb.New(vm.TLBConfig{Entries: 8, Ways: 2})
			_, _ = p.NewMMU(vm.MMUConfig{Geometry: vm.X86_64, TLB: t, Mem: probeMem()})
		},
		func(cfg *kernel.Config, p Parts) error { cfg.NewMMU = p.NewMMU; return nil }},
	{"policy", "replacement policy", "06-08, 18", "NewPolicy",
		nil, // per name: see policyProbe
		func(cfg *kernel.Config, p Parts) error { cfg.NewPolicy = p.NewPolicy; return nil }},
	{"fault-handler", "page-fault handler", "09-10", "NewFaultHandler",
		func(p Parts) { _ = p.NewFaultHandler() },
		func(cfg *kernel.Config, p Parts) error {
			h := p.NewFaultHandler()
			if h == nil {
				return fmt.Errorf("NewFaultHandler() = nil, want a handler")
			}
			cfg.FaultHandler = h
			return nil
		}},
	{"vma-set", "VMA set", "11", "NewVMASet",
		func(p Parts) { _, _ = p.NewVMASet(vm.Size4K, probeRange) },
		func(cfg *kernel.Config, p Parts) error { cfg.NewVMASet = p.NewVMASet; return nil }},
	{"brk", "brk", "12", "Brk",
		func(p Parts) {
			s, _ := vma.NewSet(vm.Size4K, probeRange)
			_, _, _ = p.Brk(s, vm.Size4K, vm.Heap{Start: 0x600000, Brk: 0x600000, Limit: 1 << 20}, 0x601000)
		},
		func(cfg *kernel.Config, p Parts) error { cfg.Brk = p.Brk; return nil }},
	{"classify-fault", "fault classification", "12", "ClassifyFault",
		func(p Parts) {
			s, _ := vma.NewSet(vm.Size4K, probeRange)
			_ = p.ClassifyFault(s, vm.Size4K, 0x600000, vm.UserRead, vm.Stack{Limit: 8 << 20, GuardGap: 1 << 20})
		},
		func(cfg *kernel.Config, p Parts) error { cfg.ClassifyFault = p.ClassifyFault; return nil }},
	{"frame-allocator", "frame allocator", "13", "NewFrameAllocator",
		func(p Parts) { _, _ = p.NewFrameAllocator(16) },
		func(cfg *kernel.Config, p Parts) error {
			a, err := p.NewFrameAllocator(cfg.Frames)
			if err == nil && a == nil {
				err = errors.New("no allocator and no error")
			}
			if err != nil {
				return fmt.Errorf("NewFrameAllocator(%d): %w", cfg.Frames, err)
			}
			cfg.FrameAllocator = a
			return nil
		}},
}

// probeRange is the user range of the probes' VMA sets.
var probeRange = vm.AddrRange{Start: 0x1000, End: 0x7fff_ffff_f000}

func probeMem() vm.PhysMem {
	m, err := phys.NewMemory(8, vm.Size4K)
	if err != nil {
		panic(fmt.Sprintf("capstonespec: %v", err))
	}
	return m
}

func probeFrames() vm.FrameAllocator {
	l, err := phys.NewFreeList(8)
	if err != nil {
		panic(fmt.Sprintf("capstonespec: %v", err))
	}
	return l
}

// owner says whose each part is: the learner's, or the reference's (with
// the reason), decided once per suite by probing.
type owner struct {
	fallback map[string]string // part id -> why the reference stands in
	policies map[string]string // policy name -> why the reference's stands in
}

// unwritten reports whether a panic value says that a function is not
// written yet: the message every stub panics with.
func unwritten(r any) bool { return strings.Contains(fmt.Sprint(r), "not implemented") }

// probeOne runs a probe: a panic saying "not implemented" means the part
// is not the learner's yet (the reason is the message); any other outcome,
// an error or another panic included, makes the part theirs, to be
// judged by the specs.
func probeOne(f func()) (why string) {
	defer func() {
		if r := recover(); r != nil && unwritten(r) {
			why = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// policyProbe decides the policy part name by name: NewPolicy panicking
// "not implemented", or refusing the name with vm.ErrInvalidConfig, leaves
// the reference's policy of that name.
func policyProbe(p Parts, name string) (why string) {
	why = probeOne(func() {
		_, err := p.NewPolicy(name, 4)
		if errors.Is(err, vm.ErrInvalidConfig) {
			why = fmt.Sprintf("NewPolicy(%q, 4) = %v", name, err)
		}
	})
	return why
}

// resolve probes every part of p.
func resolve(p Parts) owner {
	o := owner{fallback: map[string]string{}, policies: map[string]string{}}
	for _, pt := range parts {
		if pt.probe != nil {
			if why := probeOne(func() { pt.probe(p) }); why != "" {
				o.fallback[pt.id] = why
			}
		}
	}
	for _, name := range Policies {
		if why := policyProbe(p, name); why != "" {
			o.policies[name] = why
		}
	}
	if len(o.policies) == len(Policies) {
		o.fallback["policy"] = o.policies[Policies[0]]
	} else if len(o.policies) > 0 {
		var missing []string
		for _, name := range Policies {
			if why, ok := o.policies[name]; ok {
				missing = append(missing, fmt.Sprintf("%s (%s)", name, why))
			}
		}
		o.fallback["policy"] = "no policy of yours for " + strings.Join(missing, ", ")
	}
	return o
}

// ownerOf resolves p once per suite.
func ownerOf(p Parts) func() owner {
	var once sync.Once
	var o owner
	return func() owner {
		once.Do(func() { o = resolve(p) })
		return o
	}
}

// Whose returns, for every part in the order of the exercises, whether it
// is the learner's and, if not, why the reference stands in: the list a
// grade and vmsim run --parts print.
func Whose(p Parts) []Ownership {
	o := resolve(p)
	out := make([]Ownership, len(parts))
	for i, pt := range parts {
		why, fell := o.fallback[pt.id]
		out[i] = Ownership{Part: pt.name, Exercise: pt.exercise, Function: pt.fn, Learners: !fell, Why: why}
	}
	return out
}

// Ownership says whose one part is.
type Ownership struct {
	Part, Exercise, Function string
	Learners                 bool   // the learner's part is used
	Why                      string // why the reference's stands in, when it does
}

// String prints e.g. "TLB (04, NewTLB): yours" or "… : reference (why)".
func (w Ownership) String() string {
	if w.Learners {
		return fmt.Sprintf("%s (exercise %s, %s): yours", w.Part, w.Exercise, w.Function)
	}
	return fmt.Sprintf("%s (exercise %s, %s): reference (%s)", w.Part, w.Exercise, w.Function, w.Why)
}

// Plug returns the Options.Parts hook of cmd/vmsim/script that plugs
// every part of p that is the learner's into a kernel's configuration,
// leaving the reference's in the others (a policy name the learner has
// none for is the reference's).
func Plug(p Parts) func(cfg *kernel.Config) error {
	o := resolve(p)
	return plugger(p, o, func(id string) bool { _, fell := o.fallback[id]; return !fell })
}

// plugger returns a hook that plugs the parts use selects.
func plugger(p Parts, o owner, use func(id string) bool) func(cfg *kernel.Config) error {
	return func(cfg *kernel.Config) error {
		for _, pt := range parts {
			if !use(pt.id) {
				continue
			}
			if pt.id == "policy" {
				opts := cfg.PolicyOptions
				cfg.NewPolicy = func(name string, frames int) (vm.Policy, error) {
					if _, fell := o.policies[name]; fell || !contains(Policies, name) {
						return replace.New(name, frames, opts)
					}
					return p.NewPolicy(name, frames)
				}
				continue
			}
			if err := pt.plug(cfg, p); err != nil {
				return err
			}
		}
		return nil
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
