// Package faultspec is the behaviour of a page-fault handler (a
// vm.FaultHandler), written once and run against any implementation: the
// reference (reference/faulthandler) and a learner's handler (exercises 09
// and 10).
//
// A handler is graded inside the reference kernel (reference/kernel): each
// spec builds kernels whose Config.FaultHandler is the handler under test,
// runs processes on them (Spawn, Read, Write, Fetch, Mmap, Fork …) and
// looks only at what the kernel shows: the bytes processes read, the
// signals that kill them, the counters (Stats), the page tables (through
// PageTableRoot and physical memory) and Check, the kernel's invariant
// checker. The random sequences run the same operations on a second kernel
// whose handler is the reference's, and require the same bytes and the same
// fates step by step.
//
// Register it at package level in a _test.go file of the package under
// test, next to the usual Ginkgo bootstrap:
//
//	var _ = faultspec.DescribeDemandPaging("reference", faulthandler.New)
//	var _ = faultspec.DescribeCOW("reference", faulthandler.New)
//
//	func TestFaultHandler(t *testing.T) {
//		RegisterFailHandler(Fail)
//		RunSpecs(t, "Page-fault handler")
//	}
//
// What the specs hold a handler to (the counters are the kernel's, kept by
// the vm.FaultContext services the handler calls):
//
//   - a read of untouched anonymous memory maps the shared zero page,
//     read-only, using no frame (ZeroPageMaps); the first write takes a
//     fresh frame cleared to zeroes; a write after a read replaces the zero
//     page with a private zeroed frame, and the zero page stays zero;
//   - file pages come from the page cache: processes mapping the same file
//     page share its frame; MAP_SHARED writes reach the other mappers and the
//     file; a MAP_PRIVATE write copies the page;
//   - a page evicted to swap comes back with its bytes (a major fault);
//   - the kernel's verdict is acted on: SIGSEGV with SEGV_MAPERR or
//     SEGV_ACCERR as it says, the stack grown when it says so; a file page
//     past the end of the file is SIGBUS, and any other failure of a
//     service is passed on with the process alive;
//   - after fork every page is shared; a write copies exactly one page (the
//     bytes, not zeroes) unless the writer is the last one mapping it, in
//     which case the page is made writable in place (COWReuses, no copy);
//     MAP_SHARED pages are never copied.
//
// The harness is hostile on purpose (see trouble): every frame NewPage
// hands the handler is full of garbage, and the refusal specs make the nth
// call of NewPage, FilePage, SwapIn, MapPage or ProtectPage fail, in turn at
// each point a fault reaches, requiring the error passed on, the process
// alive, nothing half-built mapped and no frame leaked.
//
// A panic in the handler is not caught by the kernel: it fails the spec
// that provoked it, with the panic's message.
//
// Every spec carries the label "topic:fault" (demand paging) or
// "topic:cow" (copy-on-write), and "points:N"; a deterministic spec carries
// "rule:NN.name" for each rule of the exercise's stub it checks, and the
// random sequences carry "property".
package faultspec

import (
	"errors"
	"fmt"
	"github.com/vmkata/vmkata/specs/internal/trail"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/vm"
)

// DescribeDemandPaging declares the demand-paging behaviour (exercise 09)
// for the handlers newHandler builds. Call it at package level in a
// _test.go file:
//
//	var _ = faultspec.DescribeDemandPaging("reference", faulthandler.New)
func DescribeDemandPaging[T vm.FaultHandler](name string, newHandler func() T) bool {
	build := func() vm.FaultHandler { return newHandler() }
	return ginkgo.Describe("page-fault handler, demand paging ["+name+"]", ginkgo.Label("topic:fault"), func() {
		demandSpecs(build)
	})
}

// DescribeCOW declares the copy-on-write behaviour (exercise 10) for the
// handlers newHandler builds. Call it at package level in a _test.go file:
//
//	var _ = faultspec.DescribeCOW("reference", faulthandler.New)
func DescribeCOW[T vm.FaultHandler](name string, newHandler func() T) bool {
	build := func() vm.FaultHandler { return newHandler() }
	return ginkgo.Describe("page-fault handler, copy-on-write ["+name+"]", ginkgo.Label("topic:cow"), func() {
		cowSpecs(build)
	})
}

const page = 4096

// The files every kernel of the specs starts with.
var (
	appText = []byte("\x55\x48\x89\xe5 the program's code \xc3")
	appData = []byte("initialized data of /bin/app")
)

// files returns the initial file system: the program, its data, a
// two-page database of 'A's then 'B's, and a 100-byte file.
func files() map[string][]byte {
	db := append([]byte(strings.Repeat("A", page)), []byte(strings.Repeat("B", page))...)
	return map[string][]byte{
		"/bin/app": appText,
		"/data":    appData,
		"/db":      db,
		"/small":   []byte(strings.Repeat("s", 100)),
	}
}

// image is the program every spawned process runs: text, data, a page of
// bss, and the default one-page stack.
var image = kernel.Image{Text: "/bin/app", Data: "/data", BSS: page}

// rig is one kernel running the handler under test, and the calls made on
// it so far, printed in every failure message.
type rig struct {
	k  *kernel.Kernel
	tr *trouble // what the rig does to the services the handler calls
	trail.Trail
}

// newRig builds a kernel from cfg with the handler h and the specs' files.
// The handler's frames from NewPage come full of garbage (see trouble).
func newRig(h vm.FaultHandler, cfg kernel.Config) *rig {
	tr := &trouble{}
	cfg.FaultHandler = troubled{h, tr}
	if cfg.Files == nil {
		cfg.Files = files()
	}
	k, err := kernel.New(cfg)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("kernel.New(%+v) = %v, want a kernel", cfg, err))
	}
	tr.mem = k.Memory()
	return &rig{k: k, tr: tr, Trail: trail.Start(fmt.Sprintf("kernel.New(Frames: %d, SwapSlots: %d)", cfg.Frames, cfg.SwapSlots))}
}

func (r *rig) spawn() int {
	ginkgo.GinkgoHelper()
	pid, err := r.k.Spawn(image)
	r.Log("Spawn(/bin/app) = %d, %v", pid, err)
	r.Must("Spawn(/bin/app)", err)
	return pid
}

// heap grows pid's heap to n pages and returns its start.
func (r *rig) heap(pid, n int) vm.VAddr {
	ginkgo.GinkgoHelper()
	start, err := r.k.HeapStart(pid)
	r.Must(fmt.Sprintf("HeapStart(%d)", pid), err)
	_, err = r.k.Brk(pid, start+vm.VAddr(n*page))
	r.Log("Brk(%d, %v) = %v", pid, start+vm.VAddr(n*page), err)
	r.Must(fmt.Sprintf("Brk(%d, %v)", pid, start+vm.VAddr(n*page)), err)
	return start
}

func (r *rig) mmap(pid int, a kernel.MmapArgs) vm.VAddr {
	ginkgo.GinkgoHelper()
	va, err := r.k.Mmap(pid, a)
	r.Log("Mmap(%d, %v) = %v, %v", pid, a, va, err)
	r.Must(fmt.Sprintf("Mmap(%d, %v)", pid, a), err)
	return va
}

func (r *rig) read(pid int, va vm.VAddr, n int) []byte {
	ginkgo.GinkgoHelper()
	got, err := r.k.Read(pid, va, n)
	r.Log("Read(%d, %v, %d) = %s, %v", pid, va, n, showBytes(got), err)
	r.Must(fmt.Sprintf("Read(%d, %v, %d)", pid, va, n), err)
	return got
}

// expectRead reads len(want) bytes and fails unless they are want.
func (r *rig) expectRead(pid int, va vm.VAddr, want []byte, why string) {
	ginkgo.GinkgoHelper()
	if got := r.read(pid, va, len(want)); string(got) != string(want) {
		r.Fail("Read(%d, %v, %d) = %s, want %s (%s)", pid, va, len(want), showBytes(got), showBytes(want), why)
	}
}

func (r *rig) write(pid int, va vm.VAddr, data []byte) {
	ginkgo.GinkgoHelper()
	err := r.k.Write(pid, va, data)
	r.Log("Write(%d, %v, %s) = %v", pid, va, showBytes(data), err)
	r.Must(fmt.Sprintf("Write(%d, %v, %s)", pid, va, showBytes(data)), err)
}

func (r *rig) fork(pid int) int {
	ginkgo.GinkgoHelper()
	child, err := r.k.Fork(pid)
	r.Log("Fork(%d) = %d, %v", pid, child, err)
	r.Must(fmt.Sprintf("Fork(%d)", pid), err)
	return child
}

func (r *rig) exit(pid int) {
	ginkgo.GinkgoHelper()
	err := r.k.Exit(pid)
	r.Log("Exit(%d) = %v", pid, err)
	r.Must(fmt.Sprintf("Exit(%d)", pid), err)
}

// check runs the kernel's invariant checker.
func (r *rig) check(after string) {
	ginkgo.GinkgoHelper()
	if err := r.k.Check(); err != nil {
		r.Fail("Check() after %s = %v, want nil (the handler left the kernel inconsistent)", after, err)
	}
}

// stats returns the kernel's counters.
func (r *rig) stats() kernel.Stats { return r.k.Stats() }

// expectCounter fails unless the counter moved by want since before.
func (r *rig) expectDelta(name string, before, after uint64, want int, why string) {
	ginkgo.GinkgoHelper()
	if got := int(after) - int(before); got != want {
		r.Fail("Stats().%s went up by %d, want %d (%s)", name, got, want, why)
	}
}

// pte returns pid's leaf page-table entry for va, read from the page table
// in physical memory the way the MMU walks it, or false if none is present.
func (r *rig) pte(pid int, va vm.VAddr) (vm.PTE, bool) {
	ginkgo.GinkgoHelper()
	root, err := r.k.PageTableRoot(pid)
	r.Must(fmt.Sprintf("PageTableRoot(%d)", pid), err)
	return walk(r.k, root, va)
}

// walk reads the page table rooted at root for va.
func walk(k *kernel.Kernel, root vm.PAddr, va vm.VAddr) (vm.PTE, bool) {
	g := k.Config().Geometry
	mem := k.Memory()
	table := root
	shift := int(g.OffsetBits)
	for l := 0; l < int(g.Levels); l++ {
		shift += int(g.LevelBits[l])
	}
	for l := 0; l < int(g.Levels); l++ {
		shift -= int(g.LevelBits[l])
		idx := (uint64(va) >> shift) & (1<<g.LevelBits[l] - 1)
		at := table + vm.PAddr(idx*uint64(g.EntryBytes))
		var e vm.PTE
		if g.EntryBytes == 4 {
			v, err := mem.ReadUint32(at)
			if err != nil {
				return 0, false
			}
			e = vm.PTE(v)
		} else {
			v, err := mem.ReadUint64(at)
			if err != nil {
				return 0, false
			}
			e = vm.PTE(v)
		}
		if !e.Present() {
			return 0, false
		}
		if l == int(g.Levels)-1 || e.Has(vm.PTEHuge) {
			return e, true
		}
		table = vm.PAddr(uint64(e.PFN()) << g.OffsetBits)
	}
	return 0, false
}

// expectPTE fails unless pid maps va, and returns the entry.
func (r *rig) expectPTE(pid int, va vm.VAddr, why string) vm.PTE {
	ginkgo.GinkgoHelper()
	e, ok := r.pte(pid, va)
	if !ok {
		r.Fail("pid %d has no present PTE for %v, want one (%s)", pid, va, why)
	}
	return e
}

// fate describes how a call ended: "ok", the signal that killed the
// process ("SIGSEGV (SEGV_ACCERR)"), or the class of another error.
func fate(err error) string {
	if err == nil {
		return "ok"
	}
	var se *kernel.SignalError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (%v)", se.Signal, se.Code)
	}
	for _, s := range []error{kernel.ErrNoProcess, kernel.ErrNoMemory, kernel.ErrInvalid, kernel.ErrNoFile} {
		if errors.Is(err, s) {
			return "error: " + s.Error()
		}
	}
	return "error: " + err.Error()
}

// showBytes prints a short byte slice as a quoted string when it is
// printable, else in hex; long runs of one byte are abbreviated.
func showBytes(b []byte) string {
	if b == nil {
		return "nil"
	}
	printable := true
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			printable = false
			break
		}
	}
	if printable {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("% x", b)
}
