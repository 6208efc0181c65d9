package faultspec

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// scene is a kernel brought to the brink of one fault: the access of pid
// at va that faults next (a write of data, or a read of len(want) bytes),
// and what reading va gives once the access has succeeded.
type scene struct {
	pid   int
	va    vm.VAddr
	data  []byte // written by the access; nil for a read
	want  []byte // read at va after the access
	other int    // another process sharing the page (0 if none)
	seen  []byte // what other reads at va, before and after
}

// access makes the scene's access and returns its error.
func (sc scene) access(r *rig) error {
	if sc.data != nil {
		err := r.k.Write(sc.pid, sc.va, sc.data)
		r.Log("Write(%d, %v, %s) = %v", sc.pid, sc.va, showBytes(sc.data), err)
		return err
	}
	got, err := r.k.Read(sc.pid, sc.va, len(sc.want))
	r.Log("Read(%d, %v, %d) = %s, %v", sc.pid, sc.va, len(sc.want), showBytes(got), err)
	return err
}

// what names the access for messages.
func (sc scene) what() string {
	if sc.data != nil {
		return fmt.Sprintf("Write(%d, %v, %s)", sc.pid, sc.va, showBytes(sc.data))
	}
	return fmt.Sprintf("Read(%d, %v, %d)", sc.pid, sc.va, len(sc.want))
}

// refused makes the scene's fault meet a refusal of the nth call of svc
// and requires the handler to pass the error on, alive, with nothing new
// mapped: the page's PTE is what it was before (none, or the same frame
// with the same write permission), the kernel's invariants hold (no frame
// leaked), the other sharer still reads its bytes, and the same access
// succeeds once the trouble is gone.
func refused(r *rig, sc scene, svc service, nth int) {
	ginkgo.GinkgoHelper()
	old, had := r.pte(sc.pid, sc.va)
	rss, err := r.k.RSS(sc.pid)
	r.Must(fmt.Sprintf("RSS(%d)", sc.pid), err)
	r.tr.arm(svc, nth)
	r.Log("(ctx.%s call %d will fail)", svc, nth)
	err = sc.access(r)
	fired := r.tr.fired
	r.tr.arm("", 0)
	if fired == nil {
		r.Fail("%s = %v: the handler never made call %d of ctx.%s, want it to (see the five steps of vm.FaultHandler)", sc.what(), err, nth, svc)
	}
	var se *kernel.SignalError
	switch {
	case errors.As(err, &se):
		r.Fail("%s = %v, want the error ctx.%s returned (%v): a refused service is not the process's fault, it must not be killed", sc.what(), err, svc, fired)
	case !errors.Is(err, fired):
		r.Fail("%s = %v, want the error ctx.%s returned (%v), or one wrapping it", sc.what(), err, svc, fired)
	}
	if got, err := r.k.RSS(sc.pid); err != nil || got > rss {
		r.Fail("RSS(%d) = %d, %v after the refused fault, want at most %d, <nil>: the process lives, and nothing new is mapped", sc.pid, got, err, rss)
	}
	now, has := r.pte(sc.pid, sc.va)
	if has != had || (had && (now.PFN() != old.PFN() || now.Has(vm.PTEWritable) != old.Has(vm.PTEWritable))) {
		r.Fail("after the refused fault pid %d maps %v with %v (present %v), want it as before, %v (present %v): a page whose loading failed is never mapped", sc.pid, sc.va, now, has, old, had)
	}
	r.check("the refused fault")
	if sc.other != 0 {
		r.expectRead(sc.other, sc.va, sc.seen, "the other process sharing the page is untouched")
	}
	r.Must(sc.what()+" again, without trouble", sc.access(r))
	r.expectRead(sc.pid, sc.va, sc.want, "the access succeeds once the service does")
	if sc.other != 0 {
		r.expectRead(sc.other, sc.va, sc.seen, "the other process sharing the page still reads its bytes")
	}
	r.check("the access, again")
}

// demandScenes are the faults of exercise 09 whose services the specs
// refuse in turn.
var demandScenes = map[string]func(r *rig) scene{
	"zero fill": func(r *rig) scene {
		pid := r.spawn()
		heap := r.heap(pid, 1)
		return scene{pid: pid, va: heap + 8, data: []byte("new"), want: []byte("new\x00")}
	},
	"zero page": func(r *rig) scene {
		pid := r.spawn()
		heap := r.heap(pid, 1)
		return scene{pid: pid, va: heap, want: make([]byte, 8)}
	},
	"shared file": func(r *rig) scene {
		pid := r.spawn()
		va := r.mmap(pid, kernel.MmapArgs{Length: page, Perm: vm.PermRW, Shared: true, File: "/db"})
		return scene{pid: pid, va: va, want: []byte("AAAA")}
	},
	"private file write": func(r *rig) scene {
		pid := r.spawn()
		va := r.mmap(pid, kernel.MmapArgs{Length: 2 * page, Perm: vm.PermRW, File: "/db"})
		return scene{pid: pid, va: va + page, data: []byte("ZZ"), want: []byte("ZZBB")}
	},
	"swap-in": func(r *rig) scene {
		pid := r.spawn()
		heap := r.heap(pid, 8)
		for i := range 8 {
			r.write(pid, heap+vm.VAddr(i*page), []byte(fmt.Sprintf("page %d", i)))
		}
		for i := range 8 {
			va := heap + vm.VAddr(i*page)
			if _, ok := r.pte(pid, va); !ok {
				return scene{pid: pid, va: va, want: []byte(fmt.Sprintf("page %d", i))}
			}
		}
		r.Fail("after writing 8 heap pages in 4 frames every page is present, want some in swap")
		return scene{}
	},
	"stack growth": func(r *rig) scene {
		pid := r.spawn()
		va := r.k.StackTop() - 3*page + 16
		return scene{pid: pid, va: va, data: []byte("frame"), want: []byte("frame")}
	},
}

// sceneConfig is the kernel of every scene: 4 frames and swap (the
// swap-in scene fills memory), the specs' stack rules.
var sceneConfig = kernel.Config{Frames: 4, SwapSlots: 32, StackLimit: 16 * page, GuardGap: 4 * page}

// demandRefusalSpecs declares exercise 09's refusals: every service each
// demand-paging fault reaches fails in turn.
func demandRefusalSpecs(build func() vm.FaultHandler) {
	ginkgo.DescribeTable("passes on a service's refusal, alive, with nothing half-built mapped",
		func(name string, svc service) {
			r := newRig(build(), sceneConfig)
			refused(r, demandScenes[name](r), svc, 1)
		},
		func(name string, svc service) string { return fmt.Sprintf("%s: ctx.%s fails", name, svc) },
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "points:1"), "zero fill", svcNewPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "rule:09.no-half-built", "points:1"), "zero fill", svcMapPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "points:1"), "zero page", svcMapPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.file-oom", "rule:09.pass-errors", "points:1"), "shared file", svcFilePage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "points:1"), "shared file", svcMapPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.file-oom", "rule:09.pass-errors", "points:1"), "private file write", svcFilePage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "points:1"), "private file write", svcNewPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "rule:09.no-half-built", "points:1"), "private file write", svcMapPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "points:1"), "swap-in", svcNewPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "rule:09.no-half-built", "points:1"), "swap-in", svcSwapIn),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "rule:09.no-half-built", "points:1"), "swap-in", svcMapPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:09.pass-errors", "points:1"), "stack growth", svcNewPage),
	)
}

// cowScenes are the copy-on-write faults of exercise 10 whose services the
// specs refuse in turn. Each has a page fork shared or a page that must
// stay read-only until the write.
var cowScenes = map[string]func(r *rig) scene{
	"copy": func(r *rig) scene {
		parent := r.spawn()
		heap := r.heap(parent, 1)
		r.write(parent, heap, []byte("parent"))
		child := r.fork(parent)
		return scene{pid: child, va: heap, data: []byte("child"), want: []byte("childt"), other: parent, seen: []byte("parent")}
	},
	"reuse": func(r *rig) scene {
		parent := r.spawn()
		heap := r.heap(parent, 1)
		r.write(parent, heap, []byte("parent"))
		r.exit(r.fork(parent))
		return scene{pid: parent, va: heap, data: []byte("P"), want: []byte("Parent")}
	},
	"shared VMA": func(r *rig) scene {
		parent := r.spawn()
		va := r.mmap(parent, kernel.MmapArgs{Length: page, Perm: vm.PermRead, Shared: true})
		r.expectRead(parent, va, make([]byte, 4), "fresh shared memory")
		child := r.fork(parent)
		for _, pid := range []int{child, parent} {
			r.Must("Mprotect(rw-)", r.k.Mprotect(pid, va, page, vm.PermRW))
			r.Log("Mprotect(%d, %v, 1 page, rw-)", pid, va)
		}
		return scene{pid: child, va: va, data: []byte("shm"), want: []byte("shm")}
	},
	"zero page": func(r *rig) scene {
		parent := r.spawn()
		heap := r.heap(parent, 1)
		r.expectRead(parent, heap, make([]byte, 4), "untouched memory")
		child := r.fork(parent)
		return scene{pid: child, va: heap, data: []byte("kid"), want: []byte("kid\x00"), other: parent, seen: make([]byte, 4)}
	},
	"private file": func(r *rig) scene {
		a := r.spawn()
		va := r.mmap(a, kernel.MmapArgs{Length: page, Perm: vm.PermRW, File: "/db"})
		r.expectRead(a, va, []byte("AAAA"), "the file's first page")
		b := r.fork(a)
		return scene{pid: a, va: va, data: []byte("Z"), want: []byte("ZAAA"), other: b, seen: []byte("AAAA")}
	},
}

// cowRefusalSpecs declares exercise 10's refusals.
func cowRefusalSpecs(build func() vm.FaultHandler) {
	ginkgo.DescribeTable("passes on a service's refusal during copy-on-write, alive, still sharing the old page",
		func(name string, svc service) {
			r := newRig(build(), kernel.Config{Frames: 8})
			refused(r, cowScenes[name](r), svc, 1)
		},
		func(name string, svc service) string { return fmt.Sprintf("%s: ctx.%s fails", name, svc) },
		ginkgo.Entry(nil, ginkgo.Label("rule:10.cow-errors", "points:1"), "copy", svcNewPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:10.cow-errors", "points:1"), "copy", svcMapPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:10.cow-errors", "points:1"), "reuse", svcProtectPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:10.cow-errors", "points:1"), "shared VMA", svcProtectPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:10.cow-errors", "points:1"), "zero page", svcNewPage),
		ginkgo.Entry(nil, ginkgo.Label("rule:10.cow-errors", "points:1"), "private file", svcMapPage),
	)
}
