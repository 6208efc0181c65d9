// Package catalog is the ordered list of vmkata's exercises: the one
// manifest that drives the grader's table, its "next exercise" advice, the
// hints and the kit's self-check.
//
// An exercise lives in exercises/<ID>/ and mirrors one reference package:
// its stub exports the same API as the part of Reference it covers, a file
// built with the "solution" tag aliases that reference, and its _test.go
// runs the shared specs on the package. Mutants (classic wrong versions of
// the reference) live in mutants/<ID>/ in this package.
package catalog

import (
	"fmt"
	"regexp"
)

// Exercise is one step of the learning path.
type Exercise struct {
	ID        string   // folder under exercises/, "NN-topic"
	Title     string   // one line, for tables
	Topics    []string // the concepts it teaches, as they appear in spec labels (topic:NAME)
	Requires  []string // IDs of exercises to do first (advice; each exercise is graded on its own)
	Reference string   // the reference package it mirrors, relative to the module root
	Package   string   // the Go package name, shared with Reference
	Points    int      // the points its specs are worth; the self-check holds this equal to the sum of the specs' labels
	Folder    string   // where the exercise lives, relative to the module root; empty means exercises/<ID>
	// Imports lists packages the learner's code may import although
	// ForbiddenImports refuses them (a real-Linux lab needs more than the
	// others).
	Imports []string
	// FacadeFolder and SubjectFolder override where the judge's facade and
	// the subject command live (for the grader's own test fixtures); empty
	// means grader/sealed/facade/exNN and grader/internal/subject/subjectNN.
	FacadeFolder, SubjectFolder string
}

// ForbiddenImports are the standard-library packages (and, ending in
// "/...", the trees) an exercise's code may not import unless it lists them
// in Imports: those that reach past the learner's own process or around the
// compiler's checks. Everything else of the standard library is allowed.
// The kit's own packages other than vm and the exercises, and every
// package outside the standard library, are refused whatever the list.
var ForbiddenImports = []string{
	"unsafe", "plugin", "os/exec", "syscall", "syscall/...", "net", "net/...",
	"runtime/cgo", "runtime/debug", "embed", "internal/...", "C",
}

// FacadeDir returns the folder of the exercise's facade: the package that
// stands in for the learner's when the judge is built, relative to the
// module root.
func (e Exercise) FacadeDir() string {
	if e.FacadeFolder != "" {
		return e.FacadeFolder
	}
	return "grader/sealed/facade/ex" + e.ID[:2]
}

// SubjectDir returns the folder of the exercise's subject command (the
// learner's package served to the judge), relative to the module root.
func (e Exercise) SubjectDir() string {
	if e.SubjectFolder != "" {
		return e.SubjectFolder
	}
	return "grader/internal/subject/subject" + e.ID[:2]
}

// Dir returns the exercise's folder relative to the module root.
func (e Exercise) Dir() string {
	if e.Folder != "" {
		return e.Folder
	}
	return "exercises/" + e.ID
}

// Module is the module path of the kit.
const Module = "github.com/vmkata/vmkata"

// ImportPath returns the exercise package's import path.
func (e Exercise) ImportPath() string { return Module + "/" + e.Dir() }

// Exercises is the learning path, in order.
var Exercises = []Exercise{
	{ID: "01-address-split", Title: "Split a virtual address into page number, indices and offset",
		Topics: []string{"address"}, Reference: "reference/addr", Package: "addr", Points: 113},
	{ID: "02-linear-page-table", Title: "A single-level (linear) page table",
		Topics: []string{"pagetable", "linear"}, Requires: []string{"01-address-split"},
		Reference: "reference/pagetable", Package: "pagetable", Points: 89},
	{ID: "03-multilevel-walk", Title: "A multi-level page table in physical frames, and its walk",
		Topics: []string{"pagetable", "radix"}, Requires: []string{"02-linear-page-table"},
		Reference: "reference/pagetable", Package: "pagetable", Points: 149},
	{ID: "04-tlb", Title: "A set-associative TLB with ASIDs, global entries and flushes",
		Topics: []string{"tlb"}, Requires: []string{"01-address-split"},
		Reference: "reference/tlb", Package: "tlb", Points: 59},
	{ID: "05-mmu", Title: "The MMU: TLB, walk, permission checks, A/D bits and faults",
		Topics: []string{"mmu"}, Requires: []string{"03-multilevel-walk", "04-tlb"},
		Reference: "reference/mmu", Package: "mmu", Points: 151},
	{ID: "06-fifo-lru-opt", Title: "FIFO, LRU and OPT page replacement, and Belady's anomaly",
		Topics:    []string{"replacement", "fifo", "lru", "opt", "belady"},
		Reference: "reference/replace", Package: "replace", Points: 42},
	{ID: "07-clock", Title: "Clock, second chance and the enhanced clock (NRU)",
		Topics: []string{"replacement", "clock", "second-chance", "enhanced-clock"}, Requires: []string{"06-fifo-lru-opt"},
		Reference: "reference/replace", Package: "replace", Points: 34},
	{ID: "08-lfu-aging", Title: "LFU, MFU and aging: replacement by counting",
		Topics: []string{"replacement", "lfu", "mfu", "aging"}, Requires: []string{"06-fifo-lru-opt"},
		Reference: "reference/replace", Package: "replace", Points: 43},
	{ID: "09-demand-paging", Title: "The page-fault handler: demand paging, the zero page, the page cache, swap-in, SIGSEGV and SIGBUS",
		Topics: []string{"fault"}, Requires: []string{"05-mmu"},
		Reference: "reference/faulthandler", Package: "faulthandler", Points: 44},
	{ID: "10-cow-fork", Title: "Copy-on-write fork: share on fork, copy on write, reuse when alone",
		Topics: []string{"cow"}, Requires: []string{"09-demand-paging"},
		Reference: "reference/faulthandler", Package: "faulthandler", Points: 27},
	{ID: "11-mmap-vmas", Title: "The VMA set: mmap, munmap and mprotect with splitting and merging",
		Topics: []string{"vma"}, Requires: []string{"01-address-split"},
		Reference: "reference/vma", Package: "vma", Points: 127},
	{ID: "12-heap-stack", Title: "Heap and stack: brk, stack growth, the guard gap, SEGV_MAPERR vs SEGV_ACCERR",
		Topics: []string{"heap", "stack"}, Requires: []string{"11-mmap-vmas"},
		Reference: "reference/heapstack", Package: "heapstack", Points: 81},
	{ID: "13-buddy-allocator", Title: "The buddy allocator: blocks of 2^k frames, split and coalesce, fragmentation, the kernel's frames",
		Topics:    []string{"buddy"},
		Reference: "reference/phys", Package: "phys", Points: 54},
	{ID: "14-inverted-page-table", Title: "The inverted page table: one table for the machine, hash chains keyed by (ASID, VPN), the cost of sharing",
		Topics: []string{"pagetable", "inverted"}, Requires: []string{"03-multilevel-walk"},
		Reference: "reference/pagetable", Package: "pagetable", Points: 102},
	{ID: "15-working-set-thrashing", Title: "Working sets and thrashing: W(t, τ), load control that stops the kernel thrashing, EAT",
		Topics: []string{"working-set"}, Requires: []string{"06-fifo-lru-opt"},
		Reference: "reference/workingset", Package: "workingset", Points: 57},
	{ID: "16-context-switch-pcid", Title: "The context switch: CR3, PCIDs, global kernel pages and KPTI's two address spaces",
		Topics: []string{"context-switch", "tlb", "pcid"}, Requires: []string{"04-tlb", "05-mmu"},
		Reference: "reference/ctxswitch", Package: "ctxswitch", Points: 47},
	{ID: "17-tlb-shootdown", Title: "TLB shootdown: which CPUs flush what, by IPI or lazily at switch-in, batching and the flush ceiling",
		Topics: []string{"shootdown", "tlb", "smp"}, Requires: []string{"16-context-switch-pcid"},
		Reference: "reference/shootdown", Package: "shootdown", Points: 53},
	{ID: "18-modern-replacement", Title: "ARC, SIEVE and S3-FIFO: recency and frequency, ghosts and queues, on real traces",
		Topics: []string{"replacement", "arc", "sieve", "s3-fifo"}, Requires: []string{"06-fifo-lru-opt", "07-clock", "08-lfu-aging"},
		Reference: "reference/replace", Package: "replace", Points: 71},
	{ID: "19-linux-lab", Title: "The Linux lab: /proc/self/maps and smaps, minor faults, copy-on-write, mprotect, SIGBUS, MAP_PRIVATE vs MAP_SHARED, MADV_DONTNEED, huge pages",
		Topics: []string{"linux"}, Requires: []string{"09-demand-paging", "10-cow-fork", "11-mmap-vmas"},
		Reference: "reference/linuxlab", Package: "linuxlab", Points: 84,
		Imports: []string{"golang.org/x/sys/unix", "runtime/debug"}},
	{ID: "20-capstone", Title: "The capstone: your own page table, TLB, MMU, policies, fault handler, VMAs, heap and stack and buddy allocator running the kernel",
		Topics: []string{"capstone", "kernel"}, Requires: []string{"03-multilevel-walk", "04-tlb", "05-mmu", "06-fifo-lru-opt", "09-demand-paging", "10-cow-fork", "11-mmap-vmas", "12-heap-stack", "13-buddy-allocator"},
		Reference: "reference/capstone", Package: "capstone", Points: 56},
}

var idPattern = regexp.MustCompile(`^[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*$`)

// Check reports the first inconsistency in the list: a malformed or
// duplicate ID, a prerequisite that is unknown or comes later, a missing
// reference or package name.
func Check(list []Exercise) error {
	seen := map[string]int{}
	for i, e := range list {
		if !idPattern.MatchString(e.ID) {
			return fmt.Errorf("catalog: exercise %d: ID %q is not of the form NN-topic", i, e.ID)
		}
		if _, dup := seen[e.ID]; dup {
			return fmt.Errorf("catalog: exercise %q listed twice", e.ID)
		}
		if e.Title == "" || e.Reference == "" || e.Package == "" || len(e.Topics) == 0 {
			return fmt.Errorf("catalog: exercise %q needs a title, topics, a reference and a package name", e.ID)
		}
		for _, r := range e.Requires {
			if _, ok := seen[r]; !ok {
				return fmt.Errorf("catalog: exercise %q requires %q, which is not listed before it", e.ID, r)
			}
		}
		seen[e.ID] = i
	}
	return nil
}

// Find returns the exercise with the given ID, or with the given number
// prefix ("04" or "4" finds "04-tlb"), or false.
func Find(name string) (Exercise, bool) {
	for _, e := range Exercises {
		if e.ID == name || e.ID[:2] == name || (len(name) == 1 && e.ID[:2] == "0"+name) {
			return e, true
		}
	}
	return Exercise{}, false
}
