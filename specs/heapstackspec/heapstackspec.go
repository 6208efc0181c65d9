// Package heapstackspec is the behaviour of a kernel's heap and stack
// decisions, written once and run against any implementation: the
// reference (reference/heapstack) and a learner's package (exercise 12).
//
// Register it at package level in a _test.go file of the package under
// test, next to the usual Ginkgo bootstrap:
//
//	var _ = heapstackspec.Describe("reference", heapstack.Brk, heapstack.ClassifyFault)
//
//	func TestHeapStack(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "Heap and stack")
//	}
//
// The specs run the functions on the reference VMA set (reference/vma),
// or on a wrapper of it that refuses changes, and hold them to the contract
// of exercise 12, stated rule by rule in the doc comments of
// exercises/12-heap-stack/heapstack.go: brk(2) over a byte-granular break
// and a page-granular heap VMA, and step 1 of the page-fault handler. They
// compare a verdict's Kind, VMA and NewStart, and require a Reason for
// MapErr and AccErr only.
//
// DescribeInKernel runs brk and classify inside the reference kernel
// instead (Config.Brk and Config.ClassifyFault): brk(2), heap reads and
// writes, stack growth and overflow through the kernel's API, judged by
// the bytes read, the SIGSEGVs and the kernel's Check:
//
//	var _ = heapstackspec.DescribeInKernel("reference", heapstack.Brk, heapstack.ClassifyFault)
//
// Every spec carries "points:N" and the topic label "topic:heap" (Brk) or
// "topic:stack" (ClassifyFault); the kernel stories also "topic:kernel".
// Every deterministic spec carries one "rule:12.name" label per rule of
// exercise 12's contract it checks (the rule ids are marked in
// exercises/12-heap-stack/heapstack.go); the random properties carry
// "property" instead: they are a second net, never the only spec of a rule.
package heapstackspec

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/vmkata/vmkata/reference/vma"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/vm"
)

// BrkFunc is brk(2) on a VMA set: it moves the break of heap h to req and
// returns the heap afterwards and the pages released (see
// reference/heapstack.Brk).
type BrkFunc func(s vm.VMASet, ps vm.PageSize, h vm.Heap, req vm.VAddr) (vm.Heap, vm.AddrRange, error)

// ClassifyFunc is step 1 of the page-fault handler: the verdict on a fault
// at va for access a (see reference/heapstack.ClassifyFault).
type ClassifyFunc func(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict

// Describe declares the heap and stack behaviour for brk and classify.
// Call it at package level in a _test.go file:
//
//	var _ = heapstackspec.Describe("reference", heapstack.Brk, heapstack.ClassifyFault)
func Describe(name string, brk BrkFunc, classify ClassifyFunc) bool {
	return ginkgo.Describe("Heap and stack ["+name+"]", func() {
		describeBrk(brk)
		describeClassify(classify)
	})
}

// userRange is the limit of every VMA set the specs build.
var userRange = vm.AddrRange{Start: 0x10000, End: 0x8000_0000}

const ps = vm.Size4K

func rng(start, end vm.VAddr) vm.AddrRange { return vm.AddrRange{Start: start, End: end} }

// at returns v over [start, end).
func at(v vm.VMA, start, end vm.VAddr) vm.VMA { v.Range = rng(start, end); return v }

// newSet returns a reference VMA set holding vs, mapped with MAP_FIXED.
func newSet(vs []vm.VMA) vm.VMASet {
	s, err := vma.NewSet(ps, userRange)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "vma.NewSet(4K, %v)", userRange)
	for _, v := range vs {
		_, err := s.Map(v, true)
		gomega.Expect(err).NotTo(gomega.HaveOccurred(), "setting the scene: Map(%v, fixed)", v)
	}
	return s
}

// listing prints VMAs one per line, indented, for failure messages.
func listing(vs []vm.VMA) string {
	if len(vs) == 0 {
		return "\n\t(none)"
	}
	out := ""
	for _, v := range vs {
		out += "\n\t" + v.String()
	}
	return out
}

// rules returns the labels of a spec worth pts points that checks the
// rules of exercise 12 named (without the "rule:12." prefix).
func rules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:12.", names...)
}

// The textbook layout, low to high: text, data and bss; the heap from
// heapStart; a library and a big malloc block (mmap) in the mmap area; a
// PROT_NONE page; the stack, 16 pages under the top of the user range.
var (
	text  = vm.VMA{Range: rng(0x400000, 0x401000), Perm: vm.PermRX, Backing: vm.BackingFile, File: "/bin/app", Role: vm.RoleText}
	data  = vm.VMA{Range: rng(0x600000, 0x601000), Perm: vm.PermRW, Backing: vm.BackingFile, File: "/bin/app", Offset: 0x1000, Role: vm.RoleData}
	bss   = vm.VMA{Range: rng(0x601000, 0x602000), Perm: vm.PermRW, Role: vm.RoleBSS}
	lib   = vm.VMA{Range: rng(0x7fd0_0000, 0x7fd0_4000), Perm: vm.PermRX, Backing: vm.BackingFile, File: "libc.so", Role: vm.RoleMmap}
	block = vm.VMA{Range: rng(0x7fe0_0000, 0x7fe2_1000), Perm: vm.PermRW, Role: vm.RoleMmap}
	guard = vm.VMA{Range: rng(0x7fc0_0000, 0x7fc0_1000), Role: vm.RoleMmap}
	stack = vm.VMA{Range: rng(0x7fff_0000, 0x8000_0000), Perm: vm.PermRW, Role: vm.RoleStack, GrowsDown: true}

	heapStart = vm.VAddr(0x602000)
)

func heapVMA(start, end vm.VAddr) vm.VMA {
	return vm.VMA{Range: rng(start, end), Perm: vm.PermRW, Role: vm.RoleHeap}
}
