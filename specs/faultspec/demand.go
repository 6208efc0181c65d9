package faultspec

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// demandSpecs declares the demand-paging specs: zero page, zero-fill, page
// cache, swap-in, signals, stack growth, and the random sequences.
func demandSpecs(build func() vm.FaultHandler) {
	ginkgo.It("maps the shared zero page, read-only, on the first read of untouched anonymous memory", ginkgo.Label("rule:09.zero-page-read", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		pid := r.spawn()
		heap := r.heap(pid, 2)
		before := r.stats()
		r.expectRead(pid, heap, make([]byte, 16), "untouched anonymous memory reads as zeroes")
		r.expectRead(pid, heap+page+100, make([]byte, 16), "untouched anonymous memory reads as zeroes")
		after := r.stats()
		r.expectDelta("ZeroPageMaps", before.ZeroPageMaps, after.ZeroPageMaps, 2, "each read of an untouched page maps the zero page")
		r.expectDelta("ZeroFills", before.ZeroFills, after.ZeroFills, 0, "a read clears no frame")
		if after.FreeFrames != before.FreeFrames {
			r.Fail("Stats().FreeFrames = %d after two reads of untouched memory, want %d: a read of untouched memory takes no frame", after.FreeFrames, before.FreeFrames)
		}
		a, b := r.expectPTE(pid, heap, "the read mapped it"), r.expectPTE(pid, heap+page, "the read mapped it")
		if a.PFN() != b.PFN() {
			r.Fail("the two heap pages map pfn %v and pfn %v, want the same frame: the shared zero page", a.PFN(), b.PFN())
		}
		if a.Has(vm.PTEWritable) || b.Has(vm.PTEWritable) {
			r.Fail("the zero page is mapped writable (%v, %v), want read-only: a write must fault and get a private frame", a, b)
		}
		if rss, _ := r.k.RSS(pid); rss != 0 {
			r.Fail("RSS(%d) = %d after reads of untouched memory, want 0 (the zero page is nobody's)", pid, rss)
		}
		r.check("the reads")
	})

	ginkgo.It("gives the first write of untouched anonymous memory a private frame cleared to zeroes", ginkgo.Label("rule:09.zero-fill-write", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 4})
		pid := r.spawn()
		// Dirty every frame, then free them: the next writes get recycled frames.
		a := kernel.MmapArgs{Length: 4 * page, Perm: vm.PermRW}
		va := r.mmap(pid, a)
		for i := range 4 {
			r.write(pid, va+vm.VAddr(i*page), bytes.Repeat([]byte{0xAA}, page))
		}
		r.Must(fmt.Sprintf("Munmap(%d, %v, 4 pages)", pid, va), r.k.Munmap(pid, va, 4*page))
		r.Log("Munmap(%d, %v, 4 pages)", pid, va)
		va = r.mmap(pid, a)
		before := r.stats()
		for i := range 4 {
			r.write(pid, va+vm.VAddr(i*page+100), []byte("x"))
		}
		after := r.stats()
		r.expectDelta("ZeroFills", before.ZeroFills, after.ZeroFills, 4, "each first write clears a fresh frame")
		r.expectDelta("ZeroPageMaps", before.ZeroPageMaps, after.ZeroPageMaps, 0, "a write never maps the zero page")
		want := make([]byte, page)
		want[100] = 'x'
		for i := range 4 {
			at := va + vm.VAddr(i*page)
			r.expectRead(pid, at, want, "a fresh page is zeroes but for the byte written: a recycled frame must be cleared")
			if e := r.expectPTE(pid, at, "the write mapped it"); !e.Has(vm.PTEWritable) {
				r.Fail("pid %d maps %v with %v after a write, want a writable PTE", pid, at, e)
			}
		}
		if rss, _ := r.k.RSS(pid); rss != 4 {
			r.Fail("RSS(%d) = %d after writing 4 fresh pages, want 4", pid, rss)
		}
		r.check("the writes")
	})

	ginkgo.It("replaces the zero page with a private zeroed frame on a write after a read, and the zero page stays zero", ginkgo.Label("rule:09.zero-page-write", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		pid, other := r.spawn(), r.spawn()
		heap := r.heap(pid, 2)
		r.expectRead(pid, heap, make([]byte, 8), "untouched memory")
		zero := r.expectPTE(pid, heap, "the read mapped the zero page").PFN()
		before := r.stats()
		r.write(pid, heap+10, []byte("hello"))
		after := r.stats()
		if got := (after.ZeroFills - before.ZeroFills) + (after.COWCopies - before.COWCopies); got != 1 {
			r.Fail("ZeroFills+COWCopies went up by %d on a write to a page mapped to the zero page, want 1 (one private frame, cleared or copied from the zero page)", got)
		}
		e := r.expectPTE(pid, heap, "the write mapped a private frame")
		if e.PFN() == zero || !e.Has(vm.PTEWritable) {
			r.Fail("after the write pid %d maps %v with %v, want a writable private frame, not the zero page (pfn %v)", pid, heap, e, zero)
		}
		want := make([]byte, page)
		copy(want[10:], "hello")
		r.expectRead(pid, heap, want, "the private page holds zeroes and the bytes written")
		r.expectRead(pid, heap+page, make([]byte, page), "another untouched page of the same process still reads zeroes from the zero page")
		oh := r.heap(other, 1)
		r.expectRead(other, oh, make([]byte, page), "another process's untouched page still reads zeroes: the zero page was never written")
		r.check("the write")
	})

	ginkgo.It("fetches the program's code from its file through the page cache, shared by every process", ginkgo.Label("rule:09.file-private-read", "points:1"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		a, b := r.spawn(), r.spawn()
		text := r.k.TextBase()
		before := r.stats()
		for _, pid := range []int{a, b} {
			got, err := r.k.Fetch(pid, text, len(appText))
			r.Log("Fetch(%d, %v, %d) = %s, %v", pid, text, len(appText), showBytes(got), err)
			r.Must(fmt.Sprintf("Fetch(%d, %v)", pid, text), err)
			if !bytes.Equal(got, appText) {
				r.Fail("Fetch(%d, %v) = %s, want the program's code %s", pid, text, showBytes(got), showBytes(appText))
			}
		}
		after := r.stats()
		r.expectDelta("FileReads", before.FileReads, after.FileReads, 1, "the text page is read from the file once")
		r.expectDelta("CacheHits", before.CacheHits, after.CacheHits, 1, "the second process finds it in the page cache")
		if pa, pb := r.expectPTE(a, text, "fetched"), r.expectPTE(b, text, "fetched"); pa.PFN() != pb.PFN() {
			r.Fail("the two processes map their text at pfn %v and pfn %v, want one page-cache frame", pa.PFN(), pb.PFN())
		}
		r.check("the fetches")
	})

	ginkgo.It("reads a file page through the page cache: two processes share one frame, read-only under MAP_PRIVATE", ginkgo.Label("rule:09.file-private-read", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		a, b := r.spawn(), r.spawn()
		args := kernel.MmapArgs{Length: 2 * page, Perm: vm.PermRW, File: "/db"}
		va, vb := r.mmap(a, args), r.mmap(b, args)
		before := r.stats()
		r.expectRead(a, va, []byte("AAAA"), "the file's first page")
		mid := r.stats()
		r.expectDelta("FileReads", before.FileReads, mid.FileReads, 1, "the first reader reads the page from the file")
		r.expectDelta("MajorFaults", before.MajorFaults, mid.MajorFaults, 1, "reading a file page is a major fault")
		r.expectRead(b, vb+page-2, []byte("AA"), "the file's first page")
		after := r.stats()
		r.expectDelta("FileReads", mid.FileReads, after.FileReads, 0, "the second reader finds the page in the page cache")
		r.expectDelta("CacheHits", mid.CacheHits, after.CacheHits, 1, "the second reader finds the page in the page cache")
		r.expectDelta("MinorFaults", mid.MinorFaults, after.MinorFaults, 1, "a page-cache hit is a minor fault")
		pa, pb := r.expectPTE(a, va, "read"), r.expectPTE(b, vb, "read")
		if pa.PFN() != pb.PFN() {
			r.Fail("the two processes map the file page at pfn %v and pfn %v, want one page-cache frame", pa.PFN(), pb.PFN())
		}
		if pa.Has(vm.PTEWritable) || pb.Has(vm.PTEWritable) {
			r.Fail("a MAP_PRIVATE file page is mapped writable after a read (%v, %v), want read-only so that a write copies it", pa, pb)
		}
		r.check("the reads")
	})

	ginkgo.It("makes a MAP_SHARED write visible to the other process and, on sync, to the file", ginkgo.Label("rule:09.file-shared", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		a, b := r.spawn(), r.spawn()
		args := kernel.MmapArgs{Length: 2 * page, Perm: vm.PermRW, Shared: true, File: "/db"}
		va, vb := r.mmap(a, args), r.mmap(b, args)
		r.expectRead(b, vb, []byte("AAAA"), "the file's first page")
		before := r.stats()
		r.write(a, va, []byte("ZZ"))
		r.expectRead(b, vb, []byte("ZZAA"), "MAP_SHARED: the other process sees the write")
		r.write(b, vb+page, []byte("Y"))
		r.expectRead(a, va+page, []byte("YBB"), "MAP_SHARED: the other process sees the write")
		r.expectDelta("COWCopies", before.COWCopies, r.stats().COWCopies, 0, "MAP_SHARED pages are never copied")
		r.k.Sync()
		r.Log("Sync()")
		file, err := r.k.ReadFile("/db")
		r.Must("ReadFile(/db)", err)
		if string(file[:4]) != "ZZAA" || string(file[page:page+3]) != "YBB" {
			r.Fail("after Sync, /db starts %q and its second page %q, want \"ZZAA\" and \"YBB\": MAP_SHARED writes reach the file", file[:4], file[page:page+3])
		}
		r.check("the shared writes")
	})

	ginkgo.It("copies a MAP_PRIVATE file page on write: the other process and the file keep the old bytes", ginkgo.Label("rule:09.file-private-write", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		a, b := r.spawn(), r.spawn()
		args := kernel.MmapArgs{Length: 2 * page, Perm: vm.PermRW, File: "/db"}
		va, vb := r.mmap(a, args), r.mmap(b, args)
		r.expectRead(b, vb, []byte("AAAA"), "the file's first page")
		r.expectRead(a, va, []byte("AAAA"), "the file's first page")
		before := r.stats()
		r.write(a, va, []byte("ZZ"))
		r.expectDelta("COWCopies", before.COWCopies, r.stats().COWCopies, 1, "a write to a MAP_PRIVATE page-cache page copies it")
		r.expectRead(a, va, []byte("ZZAA"), "the writer's private copy: the file's bytes and the write")
		r.expectRead(b, vb, []byte("AAAA"), "MAP_PRIVATE: the other process does not see the write")
		if pa, pb := r.expectPTE(a, va, "written"), r.expectPTE(b, vb, "read"); pa.PFN() == pb.PFN() || !pa.Has(vm.PTEWritable) {
			r.Fail("after the write pid %d maps %v and pid %d maps %v, want the writer on a private writable frame", a, pa, b, pb)
		}
		r.write(a, va+page+1, []byte("Q"))
		r.expectRead(a, va+page, []byte("BQBB"), "a first write to an untouched MAP_PRIVATE page copies the file's bytes")
		r.k.Sync()
		r.Log("Sync()")
		file, err := r.k.ReadFile("/db")
		r.Must("ReadFile(/db)", err)
		if string(file[:4]) != "AAAA" || string(file[page:page+4]) != "BBBB" {
			r.Fail("after Sync, /db's pages start %q and %q, want \"AAAA\" and \"BBBB\": MAP_PRIVATE writes never reach the file", file[:4], file[page:page+4])
		}
		r.check("the private writes")
	})

	ginkgo.It("brings a page evicted to swap back with its bytes, as a major fault", ginkgo.Label("rule:09.swap-in", "points:3"), func() {
		r := newRig(build(), kernel.Config{Frames: 4, SwapSlots: 32})
		pid := r.spawn()
		heap := r.heap(pid, 12)
		pattern := func(i int) []byte { return []byte(fmt.Sprintf("page %02d", i)) }
		for i := range 12 {
			r.write(pid, heap+vm.VAddr(i*page+i), pattern(i))
		}
		before := r.stats()
		if before.SwapOuts == 0 {
			r.Fail("Stats().SwapOuts = 0 after writing 12 pages in 4 frames, want dirty victims written to swap")
		}
		for range 2 {
			for i := range 12 {
				r.expectRead(pid, heap+vm.VAddr(i*page+i), pattern(i), "the bytes written before the page was swapped out")
			}
		}
		after := r.stats()
		swapIns := int(after.SwapIns - before.SwapIns)
		if swapIns == 0 {
			r.Fail("Stats().SwapIns did not move while reading back 12 pages from 4 frames, want pages read back from swap")
		}
		if majors := int(after.MajorFaults - before.MajorFaults); majors < swapIns {
			r.Fail("Stats().MajorFaults went up by %d for %d swap-ins, want every swap-in counted as a major fault", majors, swapIns)
		}
		r.check("the swap-ins")
		r.exit(pid)
		if st := r.stats(); st.SwapUsed != 0 {
			r.Fail("Stats().SwapUsed = %d after the only process exited, want 0 (a swap slot leaked)", st.SwapUsed)
		}
		r.check("the exit")
	})

	ginkgo.DescribeTable("kills the process with the right signal",
		func(want kernel.Signal, code kernel.SignalCode, bad func(r *rig, pid int) error) {
			r := newRig(build(), signalConfig)
			bystander, pid := r.spawn(), r.spawn()
			bh := r.heap(bystander, 1)
			r.write(bystander, bh, []byte("still here"))
			before := r.stats()
			err := bad(r, pid)
			r.Log("the bad access = %v", err)
			var se *kernel.SignalError
			if !errors.As(err, &se) || se.Signal != want || se.Code != code {
				r.Fail("the bad access returned %v (%s), want %v (%v)", err, fate(err), want, code)
			}
			if _, err := r.k.RSS(pid); !errors.Is(err, kernel.ErrKilled) {
				r.Fail("RSS(%d) after the signal = %v, want an error wrapping %q: the process is dead", pid, err, kernel.ErrKilled)
			}
			after := r.stats()
			if want == kernel.SIGSEGV {
				r.expectDelta("Segv", before.Segv, after.Segv, 1, "one SIGSEGV delivered")
			} else {
				r.expectDelta("Sigbus", before.Sigbus, after.Sigbus, 1, "one SIGBUS delivered")
			}
			r.expectRead(bystander, bh, []byte("still here"), "another process is unaffected")
			r.check("the signal")
		},
		func(want kernel.Signal, code kernel.SignalCode, _ func(*rig, int) error) string {
			return fmt.Sprintf("%v (%v)", want, code)
		},
		ginkgo.Entry("a read of an address in no VMA: SIGSEGV (SEGV_MAPERR)", ginkgo.Label("rule:09.segv-maperr", "points:1"), kernel.SIGSEGV, kernel.SegvMapErr,
			func(r *rig, pid int) error {
				_, err := r.k.Read(pid, r.k.TextBase()-3*page, 1)
				return err
			}),
		ginkgo.Entry("a write to the read-only text: SIGSEGV (SEGV_ACCERR)", ginkgo.Label("rule:09.segv-accerr", "points:1"), kernel.SIGSEGV, kernel.SegvAccErr,
			func(r *rig, pid int) error { return r.k.Write(pid, r.k.TextBase()+4, []byte{0x90}) }),
		ginkgo.Entry("a write to read-only anonymous memory a read mapped: SIGSEGV (SEGV_ACCERR)", ginkgo.Label("rule:09.segv-accerr", "points:1"), kernel.SIGSEGV, kernel.SegvAccErr,
			func(r *rig, pid int) error {
				va := r.mmap(pid, kernel.MmapArgs{Length: page, Perm: vm.PermRead})
				r.read(pid, va, 1)
				return r.k.Write(pid, va, []byte{1})
			}),
		ginkgo.Entry("a write to a read-only MAP_PRIVATE file page a read mapped: SIGSEGV (SEGV_ACCERR)", ginkgo.Label("rule:09.segv-accerr", "points:1"), kernel.SIGSEGV, kernel.SegvAccErr,
			func(r *rig, pid int) error {
				va := r.mmap(pid, kernel.MmapArgs{Length: page, Perm: vm.PermRead, File: "/db"})
				r.read(pid, va, 1)
				return r.k.Write(pid, va, []byte{1})
			}),
		ginkgo.Entry("an instruction fetch from the heap (no execute): SIGSEGV (SEGV_ACCERR)", ginkgo.Label("rule:09.segv-accerr", "points:1"), kernel.SIGSEGV, kernel.SegvAccErr,
			func(r *rig, pid int) error {
				heap := r.heap(pid, 1)
				r.write(pid, heap, []byte{0xc3})
				_, err := r.k.Fetch(pid, heap, 1)
				return err
			}),
		ginkgo.Entry("a read of PROT_NONE memory: SIGSEGV (SEGV_ACCERR)", ginkgo.Label("rule:09.segv-accerr", "points:1"), kernel.SIGSEGV, kernel.SegvAccErr,
			func(r *rig, pid int) error {
				va := r.mmap(pid, kernel.MmapArgs{Length: page, Perm: vm.PermRW})
				r.write(pid, va, []byte{1})
				r.Must("Mprotect(---)", r.k.Mprotect(pid, va, page, 0))
				_, err := r.k.Read(pid, va, 1)
				return err
			}),
		ginkgo.Entry("a read of a file page past the end of the file: SIGBUS (BUS_ADRERR)", ginkgo.Label("rule:09.file-past-eof", "points:1"), kernel.SIGBUS, kernel.BusAdrErr,
			func(r *rig, pid int) error {
				va := r.mmap(pid, kernel.MmapArgs{Length: 2 * page, Perm: vm.PermRead, File: "/small"})
				r.expectRead(pid, va+98, []byte{'s', 's', 0, 0}, "the last page of a file reads as zeroes past its end")
				_, err := r.k.Read(pid, va+page, 1)
				return err
			}),
		ginkgo.Entry("a write below the stack beyond its limit (stack overflow): SIGSEGV (SEGV_MAPERR)", ginkgo.Label("rule:09.segv-maperr", "points:1"), kernel.SIGSEGV, kernel.SegvMapErr,
			func(r *rig, pid int) error {
				return r.k.Write(pid, r.k.StackTop()-vm.VAddr(signalConfig.StackLimit)-page+8, []byte{1})
			}),
		ginkgo.Entry("a write into the guard gap above a mapping below the stack: SIGSEGV (SEGV_MAPERR)", ginkgo.Label("rule:09.segv-maperr", "points:1"), kernel.SIGSEGV, kernel.SegvMapErr,
			func(r *rig, pid int) error {
				low := r.k.StackTop() - 8*page // the stack is [top-1 page, top); this leaves 7 pages between
				r.mmap(pid, kernel.MmapArgs{Addr: low - page, Length: page, Perm: vm.PermRW, Fixed: true})
				// Growing to low+2 pages would leave 2 pages to the mapping: less than the gap.
				return r.k.Write(pid, low+2*page, []byte{1})
			}),
	)

	ginkgo.It("grows the stack down to a fault just below it, within the limit and the guard gap", ginkgo.Label("rule:09.grow-stack", "points:2"), func() {
		r := newRig(build(), signalConfig)
		pid := r.spawn()
		top := r.k.StackTop()
		before := r.stats()
		at := top - 5*page + 40 // the stack is one page: four pages below it
		r.write(pid, at, []byte("deep frame"))
		r.expectDelta("StackGrowths", before.StackGrowths, r.stats().StackGrowths, 1, "the write grew the stack")
		vmas, err := r.k.VMAs(pid)
		r.Must("VMAs", err)
		var stack vm.VMA
		for _, v := range vmas {
			if v.GrowsDown {
				stack = v
			}
		}
		if stack.Range.Start != top-5*page || stack.Range.End != top {
			r.Fail("the stack VMA is %v after the write, want [%v, %v)", stack.Range, top-5*page, top)
		}
		r.expectRead(pid, at, []byte("deep frame"), "the grown stack holds the write")
		mid := r.stats()
		r.expectRead(pid, top-3*page, make([]byte, 8), "the pages between are part of the stack now, untouched")
		r.expectDelta("StackGrowths", mid.StackGrowths, r.stats().StackGrowths, 0, "the stack already covers the address")
		r.check("the growth")
	})

	permSpecs(build)
	demandRefusalSpecs(build)

	ginkgo.It("agrees with the reference handler on random spawn/read/write/fetch/mmap/munmap/mprotect/brk sequences in 8 frames", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) { runMachine(t, build, false) })
	})
}

// signalConfig is the kernel of the signal and stack specs: a 16-page stack
// limit and a 4-page guard gap.
var signalConfig = kernel.Config{Frames: 8, StackLimit: 16 * page, GuardGap: 4 * page}
