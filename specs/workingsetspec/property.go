package workingsetspec

import (
	"errors"
	"slices"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/workingset"
	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// sameErr reports whether two errors wrap the same vm sentinel (or are
// both nil).
func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	for _, s := range []error{vm.ErrInvalidConfig, vm.ErrOutOfRange} {
		if errors.Is(a, s) != errors.Is(b, s) {
			return false
		}
	}
	return true
}

// describeProperty declares the random comparison with the reference.
func describeProperty(impl Impl) {
	ginkgo.It("agrees with the reference on random strings, windows, thresholds and loads", ginkgo.Label("property"), func() {
		feedback.Check(func(t *rapid.T) {
			rs := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) vm.PageID {
				return vm.PageID(rapid.IntRange(0, 7).Draw(t, "page"))
			}), 0, 40).Draw(t, "refs")
			tau := rapid.IntRange(0, 12).Draw(t, "tau")
			at := rapid.IntRange(-1, len(rs)+1).Draw(t, "t")
			got, gerr := impl.Window(slices.Clone(rs), at, tau)
			want, werr := workingset.Window(rs, at, tau)
			if !sameErr(gerr, werr) || werr == nil && !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Fatalf("Window(%s, t=%d, τ=%d) = %s, %v; want %s, %v", show(rs), at, tau, show(got), gerr, show(want), werr)
			}
			gs, gerr := impl.Sizes(slices.Clone(rs), tau)
			ws, werr := workingset.Sizes(rs, tau)
			if !sameErr(gerr, werr) || werr == nil && !slices.Equal(gs, ws) && len(gs)+len(ws) > 0 {
				t.Fatalf("Sizes(%s, τ=%d) = %v, %v; want %v, %v", show(rs), tau, gs, gerr, ws, werr)
			}
			threshold := rapid.IntRange(0, 6).Draw(t, "T")
			gf, gsz, gerr := impl.PFF(slices.Clone(rs), threshold)
			wf, wsz, werr := workingset.PFF(rs, threshold)
			if !sameErr(gerr, werr) || werr == nil && (gf != wf || !slices.Equal(gsz, wsz) && len(gsz)+len(wsz) > 0) {
				t.Fatalf("PFF(%s, T=%d) = %d, %v, %v; want %d, %v, %v", show(rs), threshold, gf, gsz, gerr, wf, wsz, werr)
			}
			wss := rapid.SliceOfN(rapid.IntRange(-1, 60), 0, 6).Draw(t, "wss")
			frames := rapid.IntRange(0, 120).Draw(t, "frames")
			ga, gerr := impl.Admit(slices.Clone(wss), frames)
			wa, werr := workingset.Admit(wss, frames)
			if !sameErr(gerr, werr) || werr == nil && !slices.Equal(ga, wa) && len(ga)+len(wa) > 0 {
				t.Fatalf("Admit(%v, %d) = %v, %v; want %v, %v", wss, frames, ga, gerr, wa, werr)
			}
		})
	})
}
