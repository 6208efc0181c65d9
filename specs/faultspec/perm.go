package faultspec

import (
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// oneFault is an access the VMA allows, and the PTE bits the page must
// have after it.
type oneFault struct {
	setup  func(r *rig) scene
	exec   bool   // the access is an instruction fetch
	needs  vm.PTE // bits the PTE must have
	absent vm.PTE // bits it must not have
}

// permSpecs declares exercise 09's mapping permissions: every access a
// VMA allows faults once per page, because the page is mapped with the
// VMA's permission plus read, minus write only where it stays shared.
func permSpecs(build func() vm.FaultHandler) {
	ginkgo.DescribeTable("maps each page with its VMA's permission plus read: an allowed access faults once",
		func(c oneFault) {
			r := newRig(build(), sceneConfig)
			sc := c.setup(r)
			before := r.stats()
			var err error
			switch {
			case c.exec:
				var got []byte
				got, err = r.k.Fetch(sc.pid, sc.va, len(sc.want))
				r.Log("Fetch(%d, %v, %d) = %s, %v", sc.pid, sc.va, len(sc.want), showBytes(got), err)
			default:
				err = sc.access(r)
			}
			r.Must(sc.what(), err)
			r.expectDelta("Faults", before.Faults, r.stats().Faults, 1, "one fault maps the page with every permission the access needs")
			e := r.expectPTE(sc.pid, sc.va, "the access mapped it")
			if e&c.needs != c.needs || e&c.absent != 0 {
				r.Fail("pid %d maps %v with %v, want %v set and %v clear", sc.pid, sc.va, e, flags(c.needs), flags(c.absent))
			}
			r.expectRead(sc.pid, sc.va, sc.want, "the page's bytes")
			r.check("the access")
		},
		ginkgo.Entry("a write to write-only anonymous memory: mapped rw-", ginkgo.Label("rule:09.map-perm", "points:1"), oneFault{
			setup: func(r *rig) scene {
				pid := r.spawn()
				va := r.mmap(pid, kernel.MmapArgs{Length: page, Perm: vm.PermWrite})
				return scene{pid: pid, va: va, data: []byte("w"), want: []byte("w")}
			},
			needs: vm.PTEWritable | vm.PTENoExec}),
		ginkgo.Entry("a fetch of the program's text: mapped r-x, read-only", ginkgo.Label("rule:09.map-perm", "points:1"), oneFault{
			setup: func(r *rig) scene {
				pid := r.spawn()
				return scene{pid: pid, va: r.k.TextBase(), want: appText[:4]}
			},
			exec: true, absent: vm.PTEWritable | vm.PTENoExec}),
		ginkgo.Entry("a write to untouched MAP_SHARED file memory: mapped rw-", ginkgo.Label("rule:09.map-perm", "rule:09.file-shared", "points:1"), oneFault{
			setup: func(r *rig) scene {
				pid := r.spawn()
				va := r.mmap(pid, kernel.MmapArgs{Length: page, Perm: vm.PermRW, Shared: true, File: "/db"})
				return scene{pid: pid, va: va, data: []byte("S"), want: []byte("SAAA")}
			},
			needs: vm.PTEWritable}),
		ginkgo.Entry("a fetch from untouched rwx anonymous memory: the zero page, r-x", ginkgo.Label("rule:09.map-perm", "rule:09.zero-page-read", "points:1"), oneFault{
			setup: func(r *rig) scene {
				pid := r.spawn()
				va := r.mmap(pid, kernel.MmapArgs{Length: page, Perm: vm.PermRWX})
				return scene{pid: pid, va: va, want: make([]byte, 4)}
			},
			exec: true, absent: vm.PTEWritable | vm.PTENoExec}),
		ginkgo.Entry("a write to a swapped-out page of rwx memory: mapped rwx", ginkgo.Label("rule:09.map-perm", "rule:09.swap-in", "points:1"), oneFault{
			setup: func(r *rig) scene {
				pid := r.spawn()
				va := r.mmap(pid, kernel.MmapArgs{Length: 8 * page, Perm: vm.PermRWX})
				for i := range 8 {
					r.write(pid, va+vm.VAddr(i*page), []byte(fmt.Sprintf("page %d", i)))
				}
				for i := range 8 {
					at := va + vm.VAddr(i*page)
					if _, ok := r.pte(pid, at); !ok {
						return scene{pid: pid, va: at, data: []byte("P"), want: []byte(fmt.Sprintf("Page %d", i))}
					}
				}
				r.Fail("after writing 8 pages in 4 frames every page is present, want some in swap")
				return scene{}
			},
			needs: vm.PTEWritable, absent: vm.PTENoExec}),
	)
}

// flags prints the PTE bits the specs ask about by name ("RW NX"), or
// "nothing".
func flags(bits vm.PTE) string {
	var names []string
	if bits&vm.PTEWritable != 0 {
		names = append(names, "RW")
	}
	if bits&vm.PTENoExec != 0 {
		names = append(names, "NX")
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, " ")
}
