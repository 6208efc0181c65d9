package vmaspec

import (
	"errors"
	"fmt"
	"github.com/vmkata/vmkata/specs/internal/trail"
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
// Every spec carries the labels "topic:vma", "topic:kernel" and "points:N".
func DescribeInKernel[T vm.VMASet](name string, newSet func(pageSize vm.PageSize, limit vm.AddrRange) (T, error)) bool {
	build := func(ps vm.PageSize, limit vm.AddrRange) (vm.VMASet, error) {
		s, err := newSet(ps, limit)
		return s, err
	}
	return ginkgo.Describe("VMA set in the kernel ["+name+"]", ginkgo.Label("topic:vma", "topic:kernel"), func() {
		ginkgo.It("mmap makes pages readable and writable; munmap makes them SIGSEGV (SEGV_MAPERR)", ginkgo.Label("points:2"), func() {
			r := newKRig(build)
			pid := r.spawn()
			va := r.mmap(pid, kernel.MmapArgs{Length: 3 * kpage, Perm: vm.PermRW})
			r.expectVMA(pid, va, 3*kpage, vm.PermRW)
			for i := range 3 {
				r.write(pid, va+vm.VAddr(i*kpage), []byte(fmt.Sprintf("page %d", i)))
			}
			r.Must(fmt.Sprintf("Munmap(%d, %v, %#x)", pid, va+kpage, kpage), r.k.Munmap(pid, va+kpage, kpage))
			r.expectVMA(pid, va, kpage, vm.PermRW)
			r.expectVMA(pid, va+2*kpage, kpage, vm.PermRW)
			r.expectRead(pid, va, []byte("page 0"))
			r.expectRead(pid, va+2*kpage, []byte("page 2"))
			r.check("munmap of the middle page")
			_, err := r.k.Read(pid, va+kpage, 1)
			r.expectSegv(err, kernel.SegvMapErr, fmt.Sprintf("Read(%d, %v, 1) of the unmapped page", pid, va+kpage))
			r.check("the SIGSEGV")
		})

		ginkgo.It("mprotect read-only: reads succeed, a write is SIGSEGV (SEGV_ACCERR)", ginkgo.Label("points:2"), func() {
			r := newKRig(build)
			pid := r.spawn()
			va := r.mmap(pid, kernel.MmapArgs{Length: 2 * kpage, Perm: vm.PermRW})
			r.write(pid, va, []byte("kept"))
			r.write(pid, va+kpage, []byte("second"))
			r.Must(fmt.Sprintf("Mprotect(%d, %v, %#x, r--)", pid, va, kpage), r.k.Mprotect(pid, va, kpage, vm.PermRead))
			r.expectVMA(pid, va, kpage, vm.PermRead)
			r.expectVMA(pid, va+kpage, kpage, vm.PermRW)
			r.expectRead(pid, va, []byte("kept"))
			r.write(pid, va+kpage, []byte("still writable"))
			r.Must(fmt.Sprintf("Mprotect(%d, %v, %#x, rw-)", pid, va+kpage, kpage), r.k.Mprotect(pid, va+kpage, kpage, vm.PermRead))
			r.expectVMA(pid, va, 2*kpage, vm.PermRead)
			r.check("mprotect")
			err := r.k.Write(pid, va+kpage, []byte{1})
			r.expectSegv(err, kernel.SegvAccErr, fmt.Sprintf("Write(%d, %v) to the read-only page", pid, va+kpage))
			r.check("the SIGSEGV")
		})

		ginkgo.It("fork copies the VMA list; the copies then go their own ways", ginkgo.Label("points:2"), func() {
			r := newKRig(build)
			parent := r.spawn()
			a := r.mmap(parent, kernel.MmapArgs{Length: 4 * kpage, Perm: vm.PermRW})
			r.write(parent, a, []byte("from the parent"))
			r.Must("Mprotect", r.k.Mprotect(parent, a+2*kpage, kpage, vm.PermRead))
			f := r.mmap(parent, kernel.MmapArgs{Length: kpage, Perm: vm.PermRead, File: "/db"})
			want := r.vmas(parent)
			child, err := r.k.Fork(parent)
			r.Log("Fork(%d) = %d, %v", parent, child, err)
			r.Must(fmt.Sprintf("Fork(%d)", parent), err)
			if got := r.vmas(child); !slices.Equal(got, want) {
				r.Fail("VMAs(child %d) after Fork =%s\nwant the parent's%s", child, listing(got), listing(want))
			}
			r.expectRead(child, a, []byte("from the parent"))
			r.expectRead(child, f, []byte("AAAA"))
			r.Must("Munmap in the child", r.k.Munmap(child, a, 4*kpage))
			if got := r.vmas(parent); !slices.Equal(got, want) {
				r.Fail("VMAs(parent %d) after the child's munmap =%s\nwant them unchanged%s", parent, listing(got), listing(want))
			}
			r.expectRead(parent, a, []byte("from the parent"))
			r.check("fork and the child's munmap")
			_, err = r.k.Read(child, a, 1)
			r.expectSegv(err, kernel.SegvMapErr, fmt.Sprintf("Read(child %d, %v) after its munmap", child, a))
			r.check("the SIGSEGV")
		})

		ginkgo.It("MAP_FIXED replaces what it overlaps; mmap without an address never overlaps", ginkgo.Label("points:1"), func() {
			r := newKRig(build)
			pid := r.spawn()
			a := r.mmap(pid, kernel.MmapArgs{Length: 3 * kpage, Perm: vm.PermRW})
			r.write(pid, a+kpage, []byte("old"))
			b := r.mmap(pid, kernel.MmapArgs{Addr: a + kpage, Length: kpage, Perm: vm.PermRead, Fixed: true, File: "/db", Offset: kpage})
			if b != a+kpage {
				r.Fail("Mmap(MAP_FIXED at %v) = %v, want %v", a+kpage, b, a+kpage)
			}
			r.expectRead(pid, b, []byte("BBBB"))
			c := r.mmap(pid, kernel.MmapArgs{Length: 2 * kpage, Perm: vm.PermRW})
			if c < a+3*kpage && a < c+2*kpage {
				r.Fail("Mmap(no address, 2 pages) = %v, overlapping the mapping at [%v, %v)", c, a, a+3*kpage)
			}
			r.expectVMA(pid, a, kpage, vm.PermRW)
			r.expectVMA(pid, b, kpage, vm.PermRead)
			if v, ok := r.find(pid, c); !ok || v.Perm != vm.PermRW || v.Range.End < c+2*kpage {
				r.Fail("VMAs(%d) =%s\nwant [%v, %v) covered by rw- VMAs", pid, listing(r.vmas(pid)), c, c+2*kpage)
			}
			r.check("the mappings")
		})
	})
}

const kpage = 4096

// krig is one reference kernel whose processes keep their VMAs in the set
// under test, and the calls made on it so far, printed in every failure.
type krig struct {
	k *kernel.Kernel
	trail.Trail
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
	return &krig{k: k, Trail: trail.Start("kernel.New(Frames: 32, NewVMASet: the set under test)")}
}

func (r *krig) spawn() int {
	ginkgo.GinkgoHelper()
	img := kernel.Image{Text: "/bin/app", Data: "/data", BSS: kpage}
	pid, err := r.k.Spawn(img)
	r.Log("Spawn(%+v) = %d, %v", img, pid, err)
	r.Must("Spawn", err)
	return pid
}

func (r *krig) mmap(pid int, a kernel.MmapArgs) vm.VAddr {
	ginkgo.GinkgoHelper()
	va, err := r.k.Mmap(pid, a)
	r.Log("Mmap(%d, %v) = %v, %v", pid, a, va, err)
	r.Must(fmt.Sprintf("Mmap(%d, %v)", pid, a), err)
	return va
}

func (r *krig) write(pid int, va vm.VAddr, data []byte) {
	ginkgo.GinkgoHelper()
	err := r.k.Write(pid, va, data)
	r.Log("Write(%d, %v, %q) = %v", pid, va, data, err)
	r.Must(fmt.Sprintf("Write(%d, %v, %q)", pid, va, data), err)
}

func (r *krig) expectRead(pid int, va vm.VAddr, want []byte) {
	ginkgo.GinkgoHelper()
	got, err := r.k.Read(pid, va, len(want))
	r.Log("Read(%d, %v, %d) = %q, %v", pid, va, len(want), got, err)
	r.Must(fmt.Sprintf("Read(%d, %v, %d)", pid, va, len(want)), err)
	if string(got) != string(want) {
		r.Fail("Read(%d, %v, %d) = %q, want %q", pid, va, len(want), got, want)
	}
}

func (r *krig) vmas(pid int) []vm.VMA {
	ginkgo.GinkgoHelper()
	vs, err := r.k.VMAs(pid)
	r.Must(fmt.Sprintf("VMAs(%d)", pid), err)
	return vs
}

// find returns the VMA of pid containing va.
func (r *krig) find(pid int, va vm.VAddr) (vm.VMA, bool) {
	ginkgo.GinkgoHelper()
	for _, v := range r.vmas(pid) {
		if v.Range.Contains(va) {
			return v, true
		}
	}
	return vm.VMA{}, false
}

// expectVMA requires a VMA of pid covering exactly [va, va+n) with perm.
func (r *krig) expectVMA(pid int, va vm.VAddr, n uint64, perm vm.Perm) {
	ginkgo.GinkgoHelper()
	vs := r.vmas(pid)
	want := vm.AddrRange{Start: va, End: va + vm.VAddr(n)}
	for _, v := range vs {
		if v.Range == want && v.Perm == perm {
			return
		}
	}
	r.Fail("VMAs(%d) =%s\nwant a VMA %v with permission %v", pid, listing(vs), want, perm.String()[:3])
}

// expectSegv requires err to be SIGSEGV with code.
func (r *krig) expectSegv(err error, code kernel.SignalCode, what string) {
	ginkgo.GinkgoHelper()
	r.Log("%s = %v", what, err)
	var se *kernel.SignalError
	if !errors.As(err, &se) || se.Signal != kernel.SIGSEGV || se.Code != code {
		r.Fail("%s = %v, want SIGSEGV (%v)", what, err, code)
	}
}

func (r *krig) check(after string) {
	ginkgo.GinkgoHelper()
	if err := r.k.Check(); err != nil {
		r.Fail("Check() after %s = %v, want nil", after, err)
	}
}
