package labspec

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/linuxlab"
	"github.com/vmkata/vmkata/vm"
)

// must fails the spec with what when err is not nil.
func must(err error, what string) {
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("the specs' rig could not %s: %v", what, err))
	}
}

// needKernel skips the spec, with the reason, when this machine cannot
// show what it relies on; relies says what that is.
func needKernel(relies string) {
	if why := theRig.Supported(); why != "" {
		ginkgo.Skip(fmt.Sprintf("this spec relies on %s, which this machine cannot show: %s", relies, why))
	}
}

// pageSize is the size of a base page on this machine.
var pageSize = os.Getpagesize()

// rigVMAs is the rig's own reading of the VMAs of pid (0: the process the
// code under test runs in), parsed by the reference.
func rigVMAs(pid int) []vm.LinuxVMA {
	text, err := theRig.Smaps(pid)
	must(err, fmt.Sprintf("read /proc/%d/smaps", pid))
	vmas, err := linuxlab.ParseSmaps(text)
	must(err, "parse smaps")
	return vmas
}

// vmaAt returns the VMA of vmas holding a, or fails naming who read them.
func vmaAt(vmas []vm.LinuxVMA, a vm.VAddr, who string) vm.LinuxVMA {
	for _, v := range vmas {
		if v.Contains(a) {
			return v
		}
	}
	ginkgo.Fail(fmt.Sprintf("%s shows no VMA holding %#x", who, uint64(a)))
	return vm.LinuxVMA{}
}

// release unmaps a region an experiment left, and the guard pages around
// it when they are there, once the spec is over. It unmaps only a region
// that starts a VMA, so that a wrong address reported by the code under
// test never unmaps memory the process still uses.
func release(addr vm.VAddr, n uint64) {
	ginkgo.DeferCleanup(func() {
		start, end := addr, addr+vm.VAddr(n)
		starts := false
		for _, v := range rigVMAs(0) {
			starts = starts || v.Start == addr
			if v.Perms == "---p" && v.Path == "" && v.Size() == uint64(pageSize) && (v.End == addr || v.Start == end) {
				start, end = min(start, v.Start), max(end, v.End)
			}
		}
		if starts {
			must(theRig.Unmap(start, uint64(end-start)), "unmap a region")
		}
	})
}

// expectOwnVMA fails unless the rig sees [addr, addr+n) as one VMA of
// private anonymous memory with perms, between two inaccessible guard
// pages.
func expectOwnVMA(call string, addr vm.VAddr, n uint64, perms string) {
	vmas := rigVMAs(0)
	want := vm.LinuxVMA{Start: addr, End: addr + vm.VAddr(n), Perms: perms, Dev: "00:00"}
	v := vmaAt(vmas, addr, "/proc/self/smaps")
	if v.Start != want.Start || v.End != want.End || v.Perms != perms || v.Path != "" {
		ginkgo.Fail(fmt.Sprintf("after %s, /proc/self/smaps shows the VMA holding %#x as %v; want %v, a VMA of its own", call, uint64(addr), v, want))
	}
	for _, g := range []vm.VAddr{addr - vm.VAddr(pageSize), addr + vm.VAddr(n)} {
		guard := vmaAt(vmas, g, "/proc/self/smaps")
		if guard.Perms != "---p" {
			ginkgo.Fail(fmt.Sprintf("after %s, the page at %#x next to the region is %v; want an inaccessible guard page (---p)", call, uint64(g), guard))
		}
	}
}

// faultCount reads the rig's minor-fault counter.
func faultCount() uint64 {
	n, err := theRig.MinorFaults()
	must(err, "read the minor-fault counter")
	return n
}

func describeKernel(lab Lab) {
	ginkgo.Describe("on this machine's Linux kernel", func() {
		describeReading(lab)
		describeExperiments(lab)
	})
}

func describeReading(lab Lab) {
	ginkgo.It("ParseMaps reads this process's /proc/self/maps as the reference does: the binary, anonymous memory, the stack, the vDSO", rules(2, "maps-fields", "maps-path", "maps-anon", "classify"), func() {
		needKernel("/proc/self/maps")
		text, err := theRig.Maps()
		must(err, "read /proc/self/maps")
		want, err := linuxlab.ParseMaps(text)
		must(err, "parse /proc/self/maps")
		got, err := lab.ParseMaps(text)
		expectVMAs("ParseMaps(/proc/self/maps)", got, err, want)
		kinds := map[vm.RegionKind]int{}
		for _, v := range got {
			kinds[lab.Classify(v)]++
		}
		if kinds[vm.RegionStack] != 1 || kinds[vm.RegionVDSO] != 1 || kinds[vm.RegionFile] == 0 || kinds[vm.RegionAnon] == 0 {
			ginkgo.Fail(fmt.Sprintf("Classify over /proc/self/maps found %v; want one stack, one vdso, file and anonymous VMAs:%s", kinds, show(got)))
		}
	})

	ginkgo.It("ReadSmaps(0) reads this process's own smaps: a region the rig mapped, and the vDSO", rules(2, "read-smaps"), func() {
		needKernel("/proc/self/smaps")
		child, addr, err := theRig.Fork(4)
		must(err, "fork")
		ginkgo.DeferCleanup(func() { must(theRig.EndChild(child), "end the child") })
		got, err := lab.ReadSmaps(0)
		if err != nil {
			ginkgo.Fail(fmt.Sprintf("ReadSmaps(0) returned error %v", err))
		}
		want := rigVMAs(0)
		for _, a := range []vm.VAddr{addr, vmaOf(want, "[vdso]").Start} {
			g, w := vmaAt(got, a, "ReadSmaps(0)"), vmaAt(want, a, "/proc/self/smaps")
			if g != w {
				ginkgo.Fail(fmt.Sprintf("ReadSmaps(0): the VMA holding %#x is\n    %+v\nthe kernel shows\n    %+v", uint64(a), g, w))
			}
		}
	})

	ginkgo.It("ReadSmaps(pid) reads another process's smaps: every VMA of a child waiting on a pipe, and the counters of a region neither process writes", rules(2, "read-smaps"), func() {
		needKernel("/proc/PID/smaps of a child process")
		child, addr, err := theRig.Fork(4)
		must(err, "fork")
		ginkgo.DeferCleanup(func() { must(theRig.EndChild(child), "end the child") })
		got, err := lab.ReadSmaps(child)
		call := fmt.Sprintf("ReadSmaps(%d) (a child waiting on a pipe)", child)
		want := rigVMAs(child)
		// The counters of the child's other VMAs change as the parent
		// writes its own copies of pages they share.
		expectVMAs(call+", maps columns only", headers(got), err, headers(want))
		if g, w := vmaAt(got, addr, call), vmaAt(want, addr, "the kernel"); g != w {
			ginkgo.Fail(fmt.Sprintf("%s: the VMA holding %#x is\n    %+v\nthe kernel shows\n    %+v", call, uint64(addr), g, w))
		}
	})

	ginkgo.It("ReadSmaps refuses a negative pid and fails for a pid with no process", rules(1, "read-smaps-bad-pid"), func() {
		needKernel("/proc/PID/smaps")
		if got, err := lab.ReadSmaps(-1); !errors.Is(err, vm.ErrOutOfRange) {
			ginkgo.Fail(fmt.Sprintf("ReadSmaps(-1) = %s, %v; want an error wrapping vm.ErrOutOfRange", show(got), err))
		}
		// Above the largest pid_max Linux allows (2^22).
		if got, err := lab.ReadSmaps(1 << 23); err == nil {
			ginkgo.Fail(fmt.Sprintf("ReadSmaps(%d) = %s and no error; no such process exists", 1<<23, show(got)))
		}
	})

	ginkgo.It("ReadSmaps shows copy-on-write: shared after fork, private once the child has written (relies on: fork shares anonymous pages, a write copies)", rules(4, "cow-fork", "read-smaps"), func() {
		needKernel("fork and /proc/PID/smaps")
		const pages = 8
		size := uint64(pages * pageSize)
		child, addr, err := theRig.Fork(pages)
		must(err, "fork")
		ginkgo.DeferCleanup(func() { must(theRig.EndChild(child), "end the child") })
		parent := theRig.Pid()
		check := func(when string, shared, private uint64) {
			for _, pid := range []int{parent, child} {
				vmas, err := lab.ReadSmaps(pid)
				if err != nil {
					ginkgo.Fail(fmt.Sprintf("%s: ReadSmaps(%d) returned error %v", when, pid, err))
				}
				got := vmaAt(vmas, addr, fmt.Sprintf("ReadSmaps(%d)", pid))
				kernel := vmaAt(rigVMAs(pid), addr, fmt.Sprintf("/proc/%d/smaps", pid))
				if got.SharedDirty != shared || got.PrivateDirty != private || kernel.SharedDirty != shared || kernel.PrivateDirty != private {
					ginkgo.Fail(fmt.Sprintf("%s, ReadSmaps(%d) shows the region's VMA with SharedDirty %d, PrivateDirty %d (the kernel: %d, %d); want %d, %d",
						when, pid, got.SharedDirty, got.PrivateDirty, kernel.SharedDirty, kernel.PrivateDirty, shared, private))
				}
			}
		}
		check(fmt.Sprintf("after a fork, %d written pages shared by parent and child", pages), size, 0)
		must(theRig.ChildWrite(child), "make the child write")
		check("once the child has written every page", 0, size)
	})

	ginkgo.It("MinorFaults reads the process's minor-fault counter, between two readings of the rig's", rules(2, "minor-faults"), func() {
		needKernel("getrusage(RUSAGE_SELF)")
		before := faultCount()
		first, err1 := lab.MinorFaults()
		second, err2 := lab.MinorFaults()
		after := faultCount()
		if err := errors.Join(err1, err2); err != nil {
			ginkgo.Fail(fmt.Sprintf("MinorFaults returned error %v", err))
		}
		if !(before <= first && first <= second && second <= after) {
			ginkgo.Fail(fmt.Sprintf("MinorFaults() = %d, then %d, between the kernel's counts %d and %d; want %d <= %d <= %d <= %d",
				first, second, before, after, before, first, second, after))
		}
	})
}

// vmaOf returns the VMA with path in vmas, or fails.
func vmaOf(vmas []vm.LinuxVMA, path string) vm.LinuxVMA {
	for _, v := range vmas {
		if v.Path == path {
			return v
		}
	}
	ginkgo.Fail("/proc/self/smaps shows no " + path)
	return vm.LinuxVMA{}
}

func describeExperiments(lab Lab) {
	ginkgo.DescribeTable("TouchFresh shows demand paging: at least one minor fault per fresh page (relies on: a fresh anonymous page is mapped on its first touch)",
		func(pages int) {
			needKernel("minor-fault counts of anonymous memory")
			before := faultCount()
			r, err := lab.TouchFresh(pages)
			after := faultCount()
			call := fmt.Sprintf("TouchFresh(%d)", pages)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("%s returned error %v", call, err))
			}
			size := uint64(pages * pageSize)
			release(r.Addr, size)
			if r.Pages != pages || r.MinorBefore < before || r.MinorAfter > after || r.MinorAfter < r.MinorBefore+uint64(pages) {
				ginkgo.Fail(fmt.Sprintf("%s = %v; the kernel counted %d minor faults before and %d after the call: want Pages %d, %d <= MinorBefore, MinorAfter <= %d, and at least %d faults between",
					call, r, before, after, pages, before, after, pages))
			}
			expectOwnVMA(call, r.Addr, size, "rw-p")
			if v := vmaAt(rigVMAs(0), r.Addr, "/proc/self/smaps"); v.Rss != size {
				ginkgo.Fail(fmt.Sprintf("after %s, /proc/self/smaps shows Rss %d for the region; want %d, every page resident (a write maps a page of its own; a read only maps the shared zero page)", call, v.Rss, size))
			}
		},
		ginkgo.Entry("one page", rules(1, "demand-paging", "own-vma"), 1),
		ginkgo.Entry("64 pages", rules(2, "demand-paging", "own-vma"), 64),
		ginkgo.Entry("MaxTouchPages pages", rules(1, "demand-paging", "own-vma"), linuxlab.MaxTouchPages),
	)

	ginkgo.DescribeTable("DropPages shows madvise(MADV_DONTNEED): Rss falls to zero and the pages read back zero (relies on: DONTNEED frees private anonymous pages at once)",
		func(pages int) {
			needKernel("madvise(MADV_DONTNEED) and /proc/self/smaps")
			r, err := lab.DropPages(pages)
			call := fmt.Sprintf("DropPages(%d)", pages)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("%s returned error %v", call, err))
			}
			size := uint64(pages * pageSize)
			release(r.Addr, size)
			if r.Pages != pages || r.RssBefore != size || r.RssAfter != 0 || !r.Zeroed {
				ginkgo.Fail(fmt.Sprintf("%s = %v; want %d pages, rss %d -> 0 bytes, zeroed", call, r, pages, size))
			}
			expectOwnVMA(call, r.Addr, size, "rw-p")
			v := vmaAt(rigVMAs(0), r.Addr, "/proc/self/smaps")
			b, err := theRig.Read(r.Addr, int(size))
			must(err, "read the region")
			if v.Rss != 0 || strings.Trim(string(b), "\x00") != "" {
				ginkgo.Fail(fmt.Sprintf("after %s, the kernel shows Rss %d for the region, and its bytes all zero: %v; want Rss 0 and zeros", call, v.Rss, strings.Trim(string(b), "\x00") == ""))
			}
		},
		ginkgo.Entry("one page", rules(1, "dontneed", "own-vma"), 1),
		ginkgo.Entry("32 pages", rules(3, "dontneed", "own-vma"), 32),
	)

	ginkgo.DescribeTable("ProtectFault shows mprotect: a write to a read-only page faults, caught by SetPanicOnFault (relies on: mprotect(PROT_READ) makes writes fault)",
		func(offset int, value byte) {
			needKernel("mprotect")
			r, err := lab.ProtectFault(offset, value)
			call := fmt.Sprintf("ProtectFault(%d, %d)", offset, value)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("%s returned error %v", call, err))
			}
			release(r.Addr, uint64(pageSize))
			if want := r.Addr + vm.VAddr(offset); r.FaultAddr != want || r.Len != uint64(pageSize) || r.Path != "" {
				ginkgo.Fail(fmt.Sprintf("%s = %v; want an anonymous page, fault at %#x (Addr + offset)", call, r, uint64(want)))
			}
			expectOwnVMA(call, r.Addr, uint64(pageSize), "r--p")
			b, err := theRig.Read(r.Addr+vm.VAddr(offset), 1)
			must(err, "read the page")
			if b[0] != value {
				ginkgo.Fail(fmt.Sprintf("after %s, the byte at offset %d holds %d; want %d, written before mprotect (the faulting write never happens)", call, offset, b[0], value))
			}
			if theRig.PanicOnFault() {
				ginkgo.Fail(fmt.Sprintf("after %s, SetPanicOnFault is still on: restore the setting it had", call))
			}
		},
		ginkgo.Entry("the page's first byte", rules(1, "mprotect-fault", "own-vma"), 0, byte(7)),
		ginkgo.Entry("a byte inside", rules(2, "mprotect-fault", "own-vma"), 1234, byte(42)),
		ginkgo.Entry("the page's last byte", rules(1, "mprotect-fault", "own-vma"), pageSize-1, byte(255)),
	)

	ginkgo.DescribeTable("BusPastEOF shows SIGBUS past the end of a mapped file (relies on: a page wholly past end of file raises SIGBUS)",
		func(size int) {
			needKernel("SIGBUS on file mappings")
			dir, err := theRig.TempDir()
			must(err, "make a temporary folder")
			r, err := lab.BusPastEOF(dir, size)
			call := fmt.Sprintf("BusPastEOF(%q, %d)", dir, size)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("%s returned error %v", call, err))
			}
			release(r.Addr, r.Len)
			if want := r.Addr + vm.VAddr(pageSize); r.FaultAddr != want || r.Len != uint64(2*pageSize) || !r.TailZero || !strings.HasPrefix(r.Path, dir+"/") {
				ginkgo.Fail(fmt.Sprintf("%s = %v, tail zero %v; want two pages of a file in %s, the tail of the first page zero, the fault at %#x (the second page)", call, r, r.TailZero, dir, uint64(want)))
			}
			if n, err := theRig.FileSize(r.Path); err != nil || n != int64(size) {
				ginkgo.Fail(fmt.Sprintf("after %s, the file %s is %d bytes (%v); want %d", call, r.Path, n, err, size))
			}
			v := vmaAt(rigVMAs(0), r.Addr, "/proc/self/smaps")
			if v.Start != r.Addr || v.End != r.Addr+vm.VAddr(2*pageSize) || v.Perms != "r--s" || v.Path != r.Path {
				ginkgo.Fail(fmt.Sprintf("after %s, /proc/self/smaps shows %v; want two pages of %s mapped r--s (shared, read-only)", call, v, r.Path))
			}
		},
		ginkgo.Entry("a one-byte file", rules(1, "sigbus"), 1),
		ginkgo.Entry("a 100-byte file", rules(2, "sigbus"), 100),
		ginkgo.Entry("a file one byte short of a page", rules(1, "sigbus"), pageSize-1),
	)

	ginkgo.It("PrivateVsShared shows MAP_PRIVATE against MAP_SHARED on a real file (relies on: a private write copies the page, a shared one writes the page cache)", rules(4, "private-shared"), func() {
		needKernel("file mappings")
		dir, err := theRig.TempDir()
		must(err, "make a temporary folder")
		r, err := lab.PrivateVsShared(dir)
		call := fmt.Sprintf("PrivateVsShared(%q)", dir)
		if err != nil {
			ginkgo.Fail(fmt.Sprintf("%s returned error %v", call, err))
		}
		release(r.Private, uint64(pageSize))
		release(r.Shared, uint64(pageSize))
		if r.File != "fs" || r.PrivateSee != "pf" || r.SharedSee != "fs" {
			ginkgo.Fail(fmt.Sprintf("%s = %v; want file \"fs\", private sees \"pf\", shared sees \"fs\"", call, r))
		}
		file, err := theRig.ReadFile(r.Path, 2)
		must(err, "read the file")
		priv, err := theRig.Read(r.Private, 2)
		must(err, "read the private mapping")
		shared, err := theRig.Read(r.Shared, 2)
		must(err, "read the shared mapping")
		if string(file) != "fs" || string(priv) != "pf" || string(shared) != "fs" {
			ginkgo.Fail(fmt.Sprintf("after %s, the rig reads file %q, private mapping %q, shared mapping %q; want \"fs\", \"pf\", \"fs\"", call, file, priv, shared))
		}
		vmas := rigVMAs(0)
		p, s := vmaAt(vmas, r.Private, "/proc/self/smaps"), vmaAt(vmas, r.Shared, "/proc/self/smaps")
		if p.Perms != "rw-p" || p.Path != r.Path || p.Anonymous != uint64(pageSize) || s.Perms != "rw-s" || s.Path != r.Path || s.Anonymous != 0 {
			ginkgo.Fail(fmt.Sprintf("after %s, /proc/self/smaps shows the private mapping as %v with Anonymous %d, the shared one as %v with Anonymous %d; want rw-p of %s with one anonymous page (the copy), and rw-s with none",
				call, p, p.Anonymous, s, s.Anonymous, r.Path))
		}
	})

	ginkgo.It("HugePage shows a transparent huge page: one write maps 2 MiB (relies on: THP \"always\" or \"madvise\", and 2 MiB of free contiguous memory)", rules(3, "thp"), func() {
		needKernel("transparent huge pages")
		if mode := theRig.THP(); mode != "always" && mode != "madvise" {
			ginkgo.Skip(fmt.Sprintf("this spec relies on transparent huge pages, and this kernel's mode is %q (/sys/kernel/mm/transparent_hugepage/enabled): it cannot show one", mode))
		}
		fallbacks := theRig.THPFallbacks()
		r, err := lab.HugePage()
		if err != nil {
			ginkgo.Fail(fmt.Sprintf("HugePage() returned error %v", err))
		}
		release(r.Addr, r.Len)
		if r.AnonHugePages < linuxlab.HugeSize && theRig.THPFallbacks() > fallbacks {
			ginkgo.Skip("this spec relies on 2 MiB of free contiguous memory, and the kernel just fell back to 4 KiB pages for want of it (thp_fault_fallback in /proc/vmstat rose): it cannot show a huge page now")
		}
		if r.Addr%linuxlab.HugeSize != 0 || r.Len != linuxlab.HugeSize || r.AnonHugePages < linuxlab.HugeSize {
			ginkgo.Fail(fmt.Sprintf("HugePage() = %v; want a 2 MiB-aligned start, Len 2 MiB, AnonHugePages at least 2 MiB", r))
		}
		v := vmaAt(rigVMAs(0), r.Addr, "/proc/self/smaps")
		if v.Start != r.Addr || v.End != r.Addr+linuxlab.HugeSize || v.AnonHugePages != r.AnonHugePages {
			ginkgo.Fail(fmt.Sprintf("after HugePage(), /proc/self/smaps shows %v with AnonHugePages %d; want [%#x, %#x), a VMA of its own, with AnonHugePages %d as reported",
				v, v.AnonHugePages, uint64(r.Addr), uint64(r.Addr)+linuxlab.HugeSize, r.AnonHugePages))
		}
	})

	ginkgo.It("the experiments refuse sizes outside their bounds", rules(2, "bad-size"), func() {
		needKernel("the experiments")
		expect := func(call string, err error) {
			if !errors.Is(err, vm.ErrOutOfRange) {
				ginkgo.Fail(fmt.Sprintf("%s returned error %v; want an error wrapping vm.ErrOutOfRange", call, err))
			}
		}
		for _, n := range []int{0, -1, linuxlab.MaxTouchPages + 1} {
			_, err := lab.TouchFresh(n)
			expect(fmt.Sprintf("TouchFresh(%d)", n), err)
			_, err = lab.DropPages(n)
			expect(fmt.Sprintf("DropPages(%d)", n), err)
		}
		for _, off := range []int{-1, pageSize} {
			_, err := lab.ProtectFault(off, 1)
			expect(fmt.Sprintf("ProtectFault(%d, 1)", off), err)
		}
		dir, err := theRig.TempDir()
		must(err, "make a temporary folder")
		for _, size := range []int{0, -5, pageSize} {
			_, err := lab.BusPastEOF(dir, size)
			expect(fmt.Sprintf("BusPastEOF(%q, %d)", dir, size), err)
		}
	})
}
