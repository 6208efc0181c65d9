package faulthandler

import (
	"sync"
	"time"

	"github.com/vmkata/vmkata/vm"
)

var (
	mu    sync.Mutex
	kept  []vm.FaultContext
	start sync.Once
)

// abuse calls every context ever lent, long after its fault returned.
func abuse() {
	for i := 0; ; i++ {
		mu.Lock()
		ctxs := append([]vm.FaultContext(nil), kept...)
		mu.Unlock()
		for _, ctx := range ctxs {
			func() {
				defer func() { _ = recover() }()
				va := vm.VAddr(uint64(i%512) << 12)
				if pfn, err := ctx.NewPage(); err == nil {
					_ = ctx.MapPage(va, pfn, vm.PermRead|vm.PermWrite)
				}
				ctx.ZeroFrame(vm.PFN(i % 64))
				ctx.CopyFrame(vm.PFN(i%64), vm.PFN((i+1)%64))
				_ = ctx.ProtectPage(va, vm.PermRead)
			}()
		}
		time.Sleep(time.Millisecond)
	}
}

func init() {
	lent = func(ctx vm.FaultContext) {
		mu.Lock()
		kept = append(kept, ctx)
		mu.Unlock()
		start.Do(func() { go abuse() })
	}
}
