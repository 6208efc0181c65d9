package vmaspec

import (
	"fmt"
	"github.com/vmkata/vmkata/specs/internal/kernelrig"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// DescribeInKernel declares the VMA set's behaviour inside the reference
// kernel (reference/kernel): every process's VMAs live in a set newSet
// builds (Config.NewVMASet), and the specs look only at what the kernel
// shows: the bytes processes read and write, the signals that kill them
// (SIGSEGV where no VMA allows the access), the VMA listings (VMAs), fork's
// copy of the list, and Check, the kernel's invariant checker. A panic in
// the set fails the spec that provoked it. Call it at package level in a
// _test.go file:
//
//	var _ = vmaspec.DescribeInKernel("reference", vma.NewSet)
//
// Every spec carries the labels "topic:vma", "topic:kernel", "points:N" and
// the "rule:11.name" labels of the rules it checks.
func DescribeInKernel[T vm.VMASet](name string, newSet func(pageSize vm.PageSize, limit vm.AddrRange) (T, error)) bool {
	build := func(ps vm.PageSize, limit vm.AddrRange) (vm.VMASet, error) {
		s, err := newSet(ps, limit)
		return s, err
	}
	return ginkgo.Describe("VMA set in the kernel ["+name+"]", ginkgo.Label("topic:vma", "topic:kernel"), func() {
		ginkgo.It("mmap makes pages readable and writable; munmap makes them SIGSEGV (SEGV_MAPERR)", rules(2, "unmap-splits", "unmap-returns-pieces", "check-nil"), func() {
			r := newKRig(build)
			pid := r.spawn()
			va := r.Mmap(pid, kernel.MmapArgs{Length: 3 * kpage, Perm: vm.PermRW})
			r.expectVMA(pid, va, 3*kpage, vm.PermRW)
			for i := range 3 {
				r.Write(pid, va+vm.VAddr(i*kpage), []byte(fmt.Sprintf("page %d", i)))
			}
			r.Must(fmt.Sprintf("Munmap(%d, %v, %#x)", pid, va+kpage, kpage), r.K.Munmap(pid, va+kpage, kpage))
			r.expectVMA(pid, va, kpage, vm.PermRW)
			r.expectVMA(pid, va+2*kpage, kpage, vm.PermRW)
			r.ExpectRead(pid, va, []byte("page 0"))
			r.ExpectRead(pid, va+2*kpage, []byte("page 2"))
			r.Check("munmap of the middle page")
			_, err := r.K.Read(pid, va+kpage, 1)
			r.ExpectSegv(err, kernel.SegvMapErr, fmt.Sprintf("Read(%d, %v, 1) of the unmapped page", pid, va+kpage))
			r.Check("the SIGSEGV")
		})

		ginkgo.It("mprotect read-only: reads succeed, a write is SIGSEGV (SEGV_ACCERR)", rules(2, "protect-splits-merges", "protect-returns-changed"), func() {
			r := newKRig(build)
			pid := r.spawn()
			va := r.Mmap(pid, kernel.MmapArgs{Length: 2 * kpage, Perm: vm.PermRW})
			r.Write(pid, va, []byte("kept"))
			r.Write(pid, va+kpage, []byte("second"))
			r.Must(fmt.Sprintf("Mprotect(%d, %v, %#x, r--)", pid, va, kpage), r.K.Mprotect(pid, va, kpage, vm.PermRead))
			r.expectVMA(pid, va, kpage, vm.PermRead)
			r.expectVMA(pid, va+kpage, kpage, vm.PermRW)
			r.ExpectRead(pid, va, []byte("kept"))
			r.Write(pid, va+kpage, []byte("still writable"))
			r.Must(fmt.Sprintf("Mprotect(%d, %v, %#x, rw-)", pid, va+kpage, kpage), r.K.Mprotect(pid, va+kpage, kpage, vm.PermRead))
			r.expectVMA(pid, va, 2*kpage, vm.PermRead)
			r.Check("mprotect")
			err := r.K.Write(pid, va+kpage, []byte{1})
			r.ExpectSegv(err, kernel.SegvAccErr, fmt.Sprintf("Write(%d, %v) to the read-only page", pid, va+kpage))
			r.Check("the SIGSEGV")
		})

		ginkgo.It("fork copies the VMA list; the copies then go their own ways", rules(2, "all-len-total", "map-fixed-replaces"), func() {
			r := newKRig(build)
			parent := r.spawn()
			a := r.Mmap(parent, kernel.MmapArgs{Length: 4 * kpage, Perm: vm.PermRW})
			r.Write(parent, a, []byte("from the parent"))
			r.Must("Mprotect", r.K.Mprotect(parent, a+2*kpage, kpage, vm.PermRead))
			f := r.Mmap(parent, kernel.MmapArgs{Length: kpage, Perm: vm.PermRead, File: "/db"})
			want := r.VMAs(parent)
			child, err := r.K.Fork(parent)
			r.Log("Fork(%d) = %d, %v", parent, child, err)
			r.Must(fmt.Sprintf("Fork(%d)", parent), err)
			if got := r.VMAs(child); !slices.Equal(got, want) {
				r.Fail("VMAs(child %d) after Fork =%s\nwant the parent's%s", child, listing(got), listing(want))
			}
			r.ExpectRead(child, a, []byte("from the parent"))
			r.ExpectRead(child, f, []byte("AAAA"))
			r.Must("Munmap in the child", r.K.Munmap(child, a, 4*kpage))
			if got := r.VMAs(parent); !slices.Equal(got, want) {
				r.Fail("VMAs(parent %d) after the child's munmap =%s\nwant them unchanged%s", parent, listing(got), listing(want))
			}
			r.ExpectRead(parent, a, []byte("from the parent"))
			r.Check("fork and the child's munmap")
			_, err = r.K.Read(child, a, 1)
			r.ExpectSegv(err, kernel.SegvMapErr, fmt.Sprintf("Read(child %d, %v) after its munmap", child, a))
			r.Check("the SIGSEGV")
		})

		ginkgo.It("MAP_FIXED replaces what it overlaps; mmap without an address never overlaps", rules(1, "map-fixed-replaces", "map-placement"), func() {
			r := newKRig(build)
			pid := r.spawn()
			a := r.Mmap(pid, kernel.MmapArgs{Length: 3 * kpage, Perm: vm.PermRW})
			r.Write(pid, a+kpage, []byte("old"))
			b := r.Mmap(pid, kernel.MmapArgs{Addr: a + kpage, Length: kpage, Perm: vm.PermRead, Fixed: true, File: "/db", Offset: kpage})
			if b != a+kpage {
				r.Fail("Mmap(MAP_FIXED at %v) = %v, want %v", a+kpage, b, a+kpage)
			}
			r.ExpectRead(pid, b, []byte("BBBB"))
			c := r.Mmap(pid, kernel.MmapArgs{Length: 2 * kpage, Perm: vm.PermRW})
			if c < a+3*kpage && a < c+2*kpage {
				r.Fail("Mmap(no address, 2 pages) = %v, overlapping the mapping at [%v, %v)", c, a, a+3*kpage)
			}
			r.expectVMA(pid, a, kpage, vm.PermRW)
			r.expectVMA(pid, b, kpage, vm.PermRead)
			if v, ok := r.find(pid, c); !ok || v.Perm != vm.PermRW || v.Range.End < c+2*kpage {
				r.Fail("VMAs(%d) =%s\nwant [%v, %v) covered by rw- VMAs", pid, listing(r.VMAs(pid)), c, c+2*kpage)
			}
			r.Check("the mappings")
		})
	})
}

const kpage = 4096

// krig is one reference kernel whose processes keep their VMAs in the set
// under test, and the calls made on it so far, printed in every failure.
type krig struct {
	*kernelrig.Rig
}

func newKRig(build func(vm.PageSize, vm.AddrRange) (vm.VMASet, error)) *krig {
	cfg := kernel.Config{Frames: 32, NewVMASet: build, Files: map[string][]byte{
		"/bin/app": []byte("\x55\x48\x89\xe5 code \xc3"),
		"/data":    []byte("initialized data"),
		"/db":      []byte(strings.Repeat("A", kpage) + strings.Repeat("B", kpage)),
	}}
	k, err := kernel.New(cfg)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("kernel.New(Frames: 32, NewVMASet: the set under test) = %v, want a kernel", err))
	}
	return &krig{kernelrig.New(k, "kernel.New(Frames: 32, NewVMASet: the set under test)")}
}

func (r *krig) spawn() int {
	ginkgo.GinkgoHelper()
	return r.Spawn(kernel.Image{Text: "/bin/app", Data: "/data", BSS: kpage})
}

// find returns the VMA of pid containing va.
func (r *krig) find(pid int, va vm.VAddr) (vm.VMA, bool) {
	ginkgo.GinkgoHelper()
	for _, v := range r.VMAs(pid) {
		if v.Range.Contains(va) {
			return v, true
		}
	}
	return vm.VMA{}, false
}

// expectVMA requires a VMA of pid covering exactly [va, va+n) with perm.
func (r *krig) expectVMA(pid int, va vm.VAddr, n uint64, perm vm.Perm) {
	ginkgo.GinkgoHelper()
	vs := r.VMAs(pid)
	want := vm.AddrRange{Start: va, End: va + vm.VAddr(n)}
	for _, v := range vs {
		if v.Range == want && v.Perm == perm {
			return
		}
	}
	r.Fail("VMAs(%d) =%s\nwant a VMA %v with permission %v", pid, listing(vs), want, perm.String()[:3])
}
