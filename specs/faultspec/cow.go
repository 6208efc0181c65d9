package faultspec

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// cowSpecs declares the copy-on-write specs: fork shares, a write copies one
// page (or reuses it when it is the writer's alone), chains of forks, the
// zero page, swap, MAP_SHARED, and the random sequences with fork and exit.
func cowSpecs(build func() vm.FaultHandler) {
	// forked builds a parent with three written heap pages and a child.
	forked := func(cfg kernel.Config) (r *rig, parent, child int, heap vm.VAddr) {
		r = newRig(build(), cfg)
		parent = r.spawn()
		heap = r.heap(parent, 3)
		for i := range 3 {
			r.write(parent, heap+vm.VAddr(i*page), []byte(fmt.Sprintf("parent page %d", i)))
		}
		child = r.fork(parent)
		return r, parent, child, heap
	}
	pageText := func(who string, i int) []byte { return []byte(fmt.Sprintf("%s page %d", who, i)) }

	ginkgo.It("fork shares every page: same frames, write-protected in both, no copy and no fault on a read", ginkgo.Label("points:1"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		parent := r.spawn()
		heap := r.heap(parent, 3)
		for i := range 3 {
			r.write(parent, heap+vm.VAddr(i*page), pageText("parent", i))
		}
		before := r.stats()
		child := r.fork(parent)
		for i := range 3 {
			r.expectRead(child, heap+vm.VAddr(i*page), pageText("parent", i), "the child reads what the parent wrote")
		}
		after := r.stats()
		r.expectDelta("Faults", before.Faults, after.Faults, 0, "fork copies the PTEs: the child's reads do not fault")
		if after.FreeFrames != before.FreeFrames {
			r.Fail("Stats().FreeFrames went from %d to %d across fork and reads, want no frame used: nothing is copied", before.FreeFrames, after.FreeFrames)
		}
		for i := range 3 {
			va := heap + vm.VAddr(i*page)
			p, c := r.expectPTE(parent, va, "written before fork"), r.expectPTE(child, va, "inherited")
			if p.PFN() != c.PFN() || p.Has(vm.PTEWritable) || c.Has(vm.PTEWritable) {
				r.Fail("after fork, %v maps %v in the parent and %v in the child, want the same frame, read-only in both", va, p, c)
			}
		}
		r.check("fork")
	})

	ginkgo.It("copies exactly one page on a write in the child; the parent still reads its old bytes", ginkgo.Label("rule:10.cow-copy", "points:3"), func() {
		r, parent, child, heap := forked(kernel.Config{Frames: 8})
		va := heap + page
		shared := r.expectPTE(parent, va, "written before fork").PFN()
		before := r.stats()
		r.write(child, va+7, []byte("CHILD"))
		after := r.stats()
		r.expectDelta("COWCopies", before.COWCopies, after.COWCopies, 1, "the child's write copies the shared page")
		r.expectDelta("COWReuses", before.COWReuses, after.COWReuses, 0, "the page is shared by two: it must be copied")
		if after.FreeFrames != before.FreeFrames-1 {
			r.Fail("Stats().FreeFrames went from %d to %d on the child's write, want one frame used: exactly one page copied", before.FreeFrames, after.FreeFrames)
		}
		c, p := r.expectPTE(child, va, "written"), r.expectPTE(parent, va, "shared")
		if c.PFN() == shared || !c.Has(vm.PTEWritable) {
			r.Fail("after its write the child maps %v with %v, want a new writable frame (the shared one is pfn %v)", va, c, shared)
		}
		if p.PFN() != shared {
			r.Fail("after the child's write the parent maps %v with %v, want the original pfn %v", va, p, shared)
		}
		r.expectRead(parent, va, pageText("parent", 1), "the parent does not see the child's write")
		r.expectRead(child, va, []byte("parent CHILD"), "the child's copy holds the page's old bytes and its write")
		for _, i := range []int{0, 2} {
			r.expectRead(child, heap+vm.VAddr(i*page), pageText("parent", i), "the other pages are still shared")
			if c := r.expectPTE(child, heap+vm.VAddr(i*page), "shared"); c.PFN() != r.expectPTE(parent, heap+vm.VAddr(i*page), "shared").PFN() {
				r.Fail("the child's write to page 1 moved page %d of the heap to %v, want it still shared", i, c)
			}
		}
		r.check("the copy")
	})

	ginkgo.It("makes the page writable without copying when the writer is the last one mapping it (the child exited)", ginkgo.Label("rule:10.cow-reuse", "points:2"), func() {
		r, parent, child, heap := forked(kernel.Config{Frames: 8})
		shared := r.expectPTE(parent, heap, "written before fork").PFN()
		r.exit(child)
		before := r.stats()
		r.write(parent, heap, []byte("P"))
		after := r.stats()
		r.expectDelta("COWCopies", before.COWCopies, after.COWCopies, 0, "no one else maps the page: nothing to copy")
		if after.FreeFrames != before.FreeFrames {
			r.Fail("Stats().FreeFrames went from %d to %d, want no frame used", before.FreeFrames, after.FreeFrames)
		}
		if e := r.expectPTE(parent, heap, "written"); e.PFN() != shared || !e.Has(vm.PTEWritable) {
			r.Fail("after the write the parent maps %v with %v, want its own pfn %v, writable", heap, e, shared)
		}
		r.expectRead(parent, heap, []byte("Parent page 0"), "the write on the page's old bytes")
		r.check("the reuse")
	})

	ginkgo.It("lets the parent reuse its page in place once the child has its own copy", ginkgo.Label("rule:10.cow-reuse", "points:2"), func() {
		r, parent, child, heap := forked(kernel.Config{Frames: 8})
		shared := r.expectPTE(parent, heap, "written before fork").PFN()
		r.write(child, heap, []byte("c"))
		before := r.stats()
		r.write(parent, heap, []byte("p"))
		after := r.stats()
		r.expectDelta("COWCopies", before.COWCopies, after.COWCopies, 0, "the child copied already: the parent is the page's only mapper")
		if e := r.expectPTE(parent, heap, "written"); e.PFN() != shared {
			r.Fail("after its write the parent maps %v with %v, want its original pfn %v", heap, e, shared)
		}
		r.expectRead(parent, heap, []byte("parent page 0"), "the parent's write")
		r.expectRead(child, heap, []byte("carent page 0"), "the child's write")
		r.check("the writes")
	})

	ginkgo.It("gives every process of a fork chain its own copy, and the last sharer its page in place", ginkgo.Label("rule:10.cow-copy", "rule:10.cow-reuse", "points:3"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		a := r.spawn()
		heap := r.heap(a, 1)
		r.write(a, heap, []byte("gen 0"))
		b := r.fork(a)
		c := r.fork(b)
		shared := r.expectPTE(a, heap, "written before the forks").PFN()
		before := r.stats()
		r.write(b, heap+4, []byte("1"))
		r.write(c, heap+4, []byte("2"))
		mid := r.stats()
		r.expectDelta("COWCopies", before.COWCopies, mid.COWCopies, 2, "the first two writers of a page three processes share each copy it")
		r.write(a, heap+4, []byte("A"))
		after := r.stats()
		r.expectDelta("COWCopies", mid.COWCopies, after.COWCopies, 0, "the last process mapping the page does not copy it")
		if e := r.expectPTE(a, heap, "written"); e.PFN() != shared {
			r.Fail("the first process maps %v with %v after its write, want the original pfn %v", heap, e, shared)
		}
		for pid, want := range map[int]string{a: "gen A", b: "gen 1", c: "gen 2"} {
			r.expectRead(pid, heap, []byte(want), "each process reads its own write")
		}
		r.check("the chain")
	})

	ginkgo.It("after fork, a write to a page both read as the zero page gets a private zeroed frame; the other side still reads zeroes", ginkgo.Label("rule:10.cow-zero-page", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		parent := r.spawn()
		heap := r.heap(parent, 1)
		r.expectRead(parent, heap, make([]byte, 8), "untouched memory")
		child := r.fork(parent)
		r.expectRead(child, heap+page-8, make([]byte, 8), "inherited zero page")
		r.write(child, heap+3, []byte("kid"))
		want := make([]byte, 16)
		copy(want[3:], "kid")
		r.expectRead(child, heap, want, "the child's private page: zeroes and its write")
		r.expectRead(parent, heap, make([]byte, 16), "the parent still reads zeroes")
		r.write(parent, heap+5, []byte("dad"))
		want = make([]byte, 16)
		copy(want[5:], "dad")
		r.expectRead(parent, heap, want, "the parent's private page: zeroes and its write")
		r.expectRead(child, heap+3, []byte("kid"), "the child's page is unchanged")
		third := r.spawn()
		th := r.heap(third, 1)
		r.expectRead(third, th, make([]byte, page), "a third process's untouched memory still reads zeroes: the zero page was never written")
		r.check("the writes")
	})

	ginkgo.It("forks a process with pages in swap: both sides read the old bytes and their writes stay private", ginkgo.Label("rule:10.swap-private", "points:3"), func() {
		r := newRig(build(), kernel.Config{Frames: 4, SwapSlots: 64})
		parent := r.spawn()
		heap := r.heap(parent, 8)
		for i := range 8 {
			r.write(parent, heap+vm.VAddr(i*page), pageText("old", i))
		}
		if n, _ := r.k.Swapped(parent); n == 0 {
			r.Fail("Swapped(%d) = 0 after writing 8 pages in 4 frames, want pages in swap", parent)
		}
		child := r.fork(parent)
		for i := range 8 {
			r.write(child, heap+vm.VAddr(i*page), []byte("new"))
		}
		for i := range 8 {
			va := heap + vm.VAddr(i*page)
			r.expectRead(parent, va, pageText("old", i), "the parent never sees the child's writes")
			r.expectRead(child, va, []byte(fmt.Sprintf("new page %d", i)), "the child's writes over the page's old bytes")
		}
		r.check("the writes")
		r.exit(child)
		r.exit(parent)
		if st := r.stats(); st.SwapUsed != 0 || st.FreeFrames != 4 {
			r.Fail("after both exited: %d swap slots used and %d of 4 frames free, want everything free", st.SwapUsed, st.FreeFrames)
		}
		r.check("the exits")
	})

	ginkgo.It("never copies a MAP_SHARED page: after fork and mprotect, the child's write reaches the parent", ginkgo.Label("rule:10.cow-shared-vma", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		parent := r.spawn()
		va := r.mmap(parent, kernel.MmapArgs{Length: page, Perm: vm.PermRead, Shared: true})
		r.expectRead(parent, va, make([]byte, 4), "fresh shared memory")
		child := r.fork(parent)
		r.Must("Mprotect(rw-)", r.k.Mprotect(child, va, page, vm.PermRW))
		r.Log("Mprotect(%d, %v, 1 page, rw-)", child, va)
		r.Must("Mprotect(rw-)", r.k.Mprotect(parent, va, page, vm.PermRW))
		r.Log("Mprotect(%d, %v, 1 page, rw-)", parent, va)
		before := r.stats()
		r.write(child, va, []byte("shm"))
		r.expectDelta("COWCopies", before.COWCopies, r.stats().COWCopies, 0, "a MAP_SHARED page is shared, never copied")
		r.expectRead(parent, va, []byte("shm"), "MAP_SHARED memory is shared across fork")
		r.write(parent, va+3, []byte("!"))
		r.expectRead(child, va, []byte("shm!"), "MAP_SHARED memory is shared across fork")
		r.check("the shared writes")
	})

	ginkgo.It("maps the copy with the VMA's permission: a copied page of rwx memory stays executable, with no further fault", ginkgo.Label("rule:10.cow-copy", "points:1"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		parent := r.spawn()
		va := r.mmap(parent, kernel.MmapArgs{Length: page, Perm: vm.PermRWX})
		r.write(parent, va, []byte{0xc3})
		child := r.fork(parent)
		before := r.stats()
		r.write(child, va+1, []byte{0x90})
		got, err := r.k.Fetch(child, va, 2)
		r.Log("Fetch(%d, %v, 2) = %s, %v", child, va, showBytes(got), err)
		r.Must(fmt.Sprintf("Fetch(%d, %v, 2)", child, va), err)
		r.expectDelta("Faults", before.Faults, r.stats().Faults, 1, "the write copies the page, mapped rwx: the fetch needs no fault")
		if e := r.expectPTE(child, va, "copied"); !e.Has(vm.PTEWritable) || e.Has(vm.PTENoExec) {
			r.Fail("after the copy the child maps %v with %v, want RW and no NX (the VMA is rwx)", va, e)
		}
		r.check("the copy")
	})

	ginkgo.It("copies a MAP_PRIVATE page-cache page on every write, whatever its references: the file keeps its bytes", ginkgo.Label("rule:10.cow-file-page", "points:2"), func() {
		r := newRig(build(), kernel.Config{Frames: 8})
		a := r.spawn()
		va := r.mmap(a, kernel.MmapArgs{Length: page, Perm: vm.PermRW, File: "/db"})
		r.expectRead(a, va, []byte("AAAA"), "the file's first page")
		cached := r.expectPTE(a, va, "read").PFN()
		b := r.fork(a)
		before := r.stats()
		r.write(b, va, []byte("b"))
		r.write(a, va+1, []byte("a"))
		r.expectDelta("COWCopies", before.COWCopies, r.stats().COWCopies, 2, "each write to the page-cache page copies it, the last one too (the page cache still holds it)")
		for pid, want := range map[int]string{a: "AaAA", b: "bAAA"} {
			r.expectRead(pid, va, []byte(want), "each process reads its own copy")
			if e := r.expectPTE(pid, va, "written"); e.PFN() == cached {
				r.Fail("pid %d maps %v with %v after its write, want a private copy, not the page-cache frame %v", pid, va, e, cached)
			}
		}
		r.k.Sync()
		r.Log("Sync()")
		file, err := r.k.ReadFile("/db")
		r.Must("ReadFile(/db)", err)
		if string(file[:4]) != "AAAA" {
			r.Fail("after Sync, /db starts %q, want \"AAAA\": MAP_PRIVATE writes never reach the file", file[:4])
		}
		r.check("the writes")
	})

	cowRefusalSpecs(build)

	ginkgo.It("agrees with the reference handler on random spawn/fork/exit/read/write/mmap/munmap/mprotect/brk sequences in 8 frames", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) { runMachine(t, build, true) })
	})
}
