// Package parts plugs other implementations of the kernel's parts (a
// learner's, for exercise 20) into a kernel.Config, part by part: the page
// table, TLB, MMU, replacement policies, page-fault handler, VMA set, brk,
// fault classification and frame allocator, each supplied by a constructor
// with the signature of its kernel.Config field.
//
// A part is plugged in only when it is written. Resolve decides that once,
// the same way every time: it calls each constructor on a small valid
// input; a panic saying "not implemented" (what every stub of the kit
// does), or NewPolicy refusing a name with vm.ErrInvalidConfig, leaves the
// reference's part in its place. Any other outcome, an error or another
// panic included, makes the part the supplier's.
//
// The usage idiom:
//
//	o := parts.Resolve(set)
//	for _, w := range o.Whose() { fmt.Println(w) }
//	hook := o.Plug(set, o.Mine)  // a script.Options.Parts hook
package parts

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/tlb"
	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

// Set are the constructors of the parts: one per seam of kernel.Config,
// each with that field's signature. None may be nil.
type Set struct {
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

// Policies are the names NewPolicy may serve: the online policies of
// exercises 06-08 and 18. The policy part is the supplier's when it
// serves at least one of them; every other name runs the reference's.
var Policies = []string{"fifo", "lru", "clock", "second-chance", "enhanced-clock", "lfu", "mfu", "aging", "arc", "sieve", "s3-fifo"}

// Part is one part of the kernel.
type Part struct {
	ID       string // a short name, e.g. "tlb"
	Name     string // in words, e.g. "TLB"
	Exercise string // the exercise that builds it, e.g. "04"
	Function string // the field of Set that supplies it, e.g. "NewTLB"
	// probe calls the constructor once on a small valid input, so that
	// one that is not written yet panics.
	probe func(Set)
	// plug sets the seam of cfg to the supplied part.
	plug func(cfg *kernel.Config, p Set) error
	// contract, if set, checks what the constructor promises beyond
	// running the kernel.
	contract func(p Set) error
}

// All lists every part, in the order of the exercises.
var All = []Part{
	{"page-table", "page table", "03", "NewPageTable",
		func(p Set) { _, _ = p.NewPageTable(vm.X86_64, probeMem(), probeFrames()) },
		func(cfg *kernel.Config, p Set) error { cfg.NewPageTable = p.NewPageTable; return nil }, nil},
	{"tlb", "TLB", "04", "NewTLB",
		func(p Set) { _, _ = p.NewTLB(vm.TLBConfig{Entries: 8, Ways: 2}) },
		func(cfg *kernel.Config, p Set) error { cfg.NewTLB = p.NewTLB; return nil }, nil},
	{"mmu", "MMU", "05", "NewMMU",
		func(p Set) {
			t, _ := tlb.New(vm.TLBConfig{Entries: 8, Ways: 2})
			_, _ = p.NewMMU(vm.MMUConfig{Geometry: vm.X86_64, TLB: t, Mem: probeMem()})
		},
		func(cfg *kernel.Config, p Set) error { cfg.NewMMU = p.NewMMU; return nil }, nil},
	{"policy", "replacement policy", "06-08, 18", "NewPolicy",
		nil, // per name: see policyProbe
		func(cfg *kernel.Config, p Set) error { cfg.NewPolicy = p.NewPolicy; return nil },
		func(p Set) error {
			for _, name := range []string{"opt", "no-such-policy"} {
				if _, err := p.NewPolicy(name, 4); !errors.Is(err, vm.ErrInvalidConfig) {
					return fmt.Errorf("NewPolicy(%q, 4) = %v, want an error wrapping %q: the kernel falls back to the reference's policy only on that error", name, err, vm.ErrInvalidConfig)
				}
			}
			return nil
		}},
	{"fault-handler", "page-fault handler", "09-10", "NewFaultHandler",
		func(p Set) { _ = p.NewFaultHandler() },
		func(cfg *kernel.Config, p Set) error {
			h := p.NewFaultHandler()
			if h == nil {
				return fmt.Errorf("NewFaultHandler() = nil, want a handler")
			}
			cfg.FaultHandler = h
			return nil
		}, nil},
	{"vma-set", "VMA set", "11", "NewVMASet",
		func(p Set) { _, _ = p.NewVMASet(vm.Size4K, probeRange) },
		func(cfg *kernel.Config, p Set) error { cfg.NewVMASet = p.NewVMASet; return nil },
		func(p Set) error {
			limit := vm.AddrRange{Start: 0x1000, End: 0x10_0000}
			s, err := p.NewVMASet(vm.Size4K, limit)
			if err != nil || s == nil {
				return fmt.Errorf("NewVMASet(4K, %v) = %v, %v, want an empty set", limit, s, err)
			}
			past := vm.VMA{Range: vm.AddrRange{Start: limit.End, End: limit.End + 0x1000}, Perm: vm.PermRW}
			if _, err := s.Map(past, true); !errors.Is(err, vm.ErrOutOfRange) {
				return fmt.Errorf("NewVMASet(4K, %v) then Map(%v, fixed) = %v, want an error wrapping %q: the set keeps to the limit it is given",
					limit, past, err, vm.ErrOutOfRange)
			}
			return nil
		}},
	{"brk", "brk", "12", "Brk",
		func(p Set) {
			s, _ := vma.NewSet(vm.Size4K, probeRange)
			_, _, _ = p.Brk(s, vm.Size4K, vm.Heap{Start: 0x600000, Brk: 0x600000, Limit: 1 << 20}, 0x601000)
		},
		func(cfg *kernel.Config, p Set) error { cfg.Brk = p.Brk; return nil }, nil},
	{"classify-fault", "fault classification", "12", "ClassifyFault",
		func(p Set) {
			s, _ := vma.NewSet(vm.Size4K, probeRange)
			_ = p.ClassifyFault(s, vm.Size4K, 0x600000, vm.UserRead, vm.Stack{Limit: 8 << 20, GuardGap: 1 << 20})
		},
		func(cfg *kernel.Config, p Set) error { cfg.ClassifyFault = p.ClassifyFault; return nil }, nil},
	{"frame-allocator", "frame allocator", "13", "NewFrameAllocator",
		func(p Set) { _, _ = p.NewFrameAllocator(16) },
		func(cfg *kernel.Config, p Set) error {
			a, err := p.NewFrameAllocator(cfg.Frames)
			if err == nil && a == nil {
				err = errors.New("no allocator and no error")
			}
			if err != nil {
				return fmt.Errorf("NewFrameAllocator(%d): %w", cfg.Frames, err)
			}
			cfg.FrameAllocator = a
			return nil
		}, nil},
}

// probeRange is the user range of the probes' VMA sets.
var probeRange = vm.AddrRange{Start: 0x1000, End: 0x7fff_ffff_f000}

func probeMem() vm.PhysMem {
	m, err := phys.NewMemory(8, vm.Size4K)
	if err != nil {
		panic(fmt.Sprintf("parts: the probe's memory: %v", err))
	}
	return m
}

func probeFrames() vm.FrameAllocator {
	l, err := phys.NewFreeList(8)
	if err != nil {
		panic(fmt.Sprintf("parts: the probe's frame list: %v", err))
	}
	return l
}

// Owners says whose each part of a Set is: the supplier's, or the
// reference's (with the reason). Resolve builds it.
type Owners struct {
	fallback map[string]string // part ID -> why the reference stands in
	policies map[string]string // policy name -> why the reference's stands in
}

// unwritten reports whether a panic value says that a function is not
// written yet: the message every stub panics with.
func unwritten(r any) bool { return strings.Contains(fmt.Sprint(r), "not implemented") }

// probeOne runs a probe: a panic saying "not implemented" means the part
// is not written yet (the reason is the message); any other outcome makes
// the part the supplier's.
func probeOne(f func()) (why string) {
	defer func() {
		if r := recover(); r != nil && unwritten(r) {
			why, _, _ = strings.Cut(fmt.Sprint(r), "\n") // the message, without a trace
		}
	}()
	f()
	return ""
}

// policyProbe decides the policy part name by name: NewPolicy panicking
// "not implemented", or refusing the name with vm.ErrInvalidConfig, leaves
// the reference's policy of that name.
func policyProbe(p Set, name string) (why string) {
	why = probeOne(func() {
		_, err := p.NewPolicy(name, 4)
		if errors.Is(err, vm.ErrInvalidConfig) {
			why = fmt.Sprintf("NewPolicy(%q, 4) = %v", name, err)
		}
	})
	return why
}

// Resolve probes every part of p.
func Resolve(p Set) Owners {
	o := Owners{fallback: map[string]string{}, policies: map[string]string{}}
	for _, pt := range All {
		if pt.probe != nil {
			if why := probeOne(func() { pt.probe(p) }); why != "" {
				o.fallback[pt.ID] = why
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
	}
	return o
}

// Served returns the names of Policies the supplier serves, in order.
func (o Owners) Served() []string {
	var out []string
	for _, name := range Policies {
		if _, fell := o.policies[name]; !fell {
			out = append(out, name)
		}
	}
	return out
}

// Mine reports whether the part called id is the supplier's.
func (o Owners) Mine(id string) bool { _, fell := o.fallback[id]; return !fell }

// Why says why the reference's part called id stands in ("" when the
// part is the supplier's).
func (o Owners) Why(id string) string { return o.fallback[id] }

// Whose returns, for every part in the order of the exercises, whether it
// is the supplier's and, if not, why the reference stands in.
func (o Owners) Whose() []Ownership {
	out := make([]Ownership, len(All))
	for i, pt := range All {
		why, fell := o.fallback[pt.ID]
		out[i] = Ownership{Part: pt, Mine: !fell, Why: why}
		if pt.ID == "policy" && !fell {
			out[i].Only = o.Served()
		}
	}
	return out
}

// Ownership says whose one part is.
type Ownership struct {
	Part Part
	Mine bool     // the supplier's part is used
	Why  string   // why the reference's stands in, when it does
	Only []string // for the policy part: the names the supplier serves
}

// String prints e.g. "TLB (exercise 04, NewTLB): yours",
// "replacement policy (…): yours for fifo, lru" or "…: reference (why)".
func (w Ownership) String() string {
	if w.Mine && len(w.Only) > 0 {
		return fmt.Sprintf("%s (exercise %s, %s): yours for %s (the reference's for the other names)",
			w.Part.Name, w.Part.Exercise, w.Part.Function, strings.Join(w.Only, ", "))
	}
	if w.Mine {
		return fmt.Sprintf("%s (exercise %s, %s): yours", w.Part.Name, w.Part.Exercise, w.Part.Function)
	}
	return fmt.Sprintf("%s (exercise %s, %s): reference (%s)", w.Part.Name, w.Part.Exercise, w.Part.Function, w.Why)
}

// Contract checks what the constructor of part pt promises beyond running
// the kernel (NewPolicy refusing an unknown name, NewVMASet's set keeping
// to its limit), or returns nil.
func Contract(p Set, pt Part) error {
	if pt.contract == nil {
		return nil
	}
	return pt.contract(p)
}

// Plug returns a hook that plugs into a kernel's configuration the parts
// of p that use selects, each only if it is the supplier's, leaving the
// reference's in the others; for the policy, only the names of Policies
// the supplier serves, every policy then keeping its own reference bits
// (see OwnBits). It is a cmd/vmsim/script Options.Parts hook. An
// error (a constructor that fails) fails the boot.
func (o Owners) Plug(p Set, use func(id string) bool) func(cfg *kernel.Config) error {
	return func(cfg *kernel.Config) error {
		for _, pt := range All {
			if !use(pt.ID) || !o.Mine(pt.ID) {
				continue
			}
			if pt.ID == "policy" {
				reference := OwnBits(cfg.PolicyOptions)
				cfg.NewPolicy = func(name string, frames int) (vm.Policy, error) {
					if _, fell := o.policies[name]; fell || !slices.Contains(Policies, name) {
						return reference(name, frames)
					}
					q, err := p.NewPolicy(name, frames)
					if err != nil || q == nil {
						return nil, err
					}
					return ownBits{q}, nil
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

// ownBits is a policy that keeps its own reference bits: it hides any
// SetRefBits (vm.RefBitsUser), so the kernel lends it no PTE bits.
// Policies plugged in keep their own bits, as exercises 07 and 08 specify
// them, and so do the reference's beside them.
type ownBits struct{ vm.Policy }

// OwnBits returns a kernel.Config NewPolicy building the reference's
// policies with opts, each keeping its own reference bits: the policies of
// a kernel whose policy part is plugged in, and of the reference kernel it
// is compared with.
func OwnBits(opts replace.Options) func(name string, frames int) (vm.Policy, error) {
	return func(name string, frames int) (vm.Policy, error) {
		q, err := replace.New(name, frames, opts)
		if err != nil {
			return nil, err
		}
		return ownBits{q}, nil
	}
}
