package phys

import (
	"slices"
	"testing"
)

func TestBitmap(t *testing.T) {
	for _, n := range []int{1, 63, 64, 65, 4096, 4097, 300000} {
		b := newBitmap(n)
		if got := b.first(); got != -1 {
			t.Fatalf("newBitmap(%d).first() = %d, want -1", n, got)
		}
		var in []int // members, in insertion order
		for _, m := range []int{n - 1, n / 2, n / 3, 0} {
			if slices.Contains(in, m) {
				continue
			}
			b.set(m)
			in = append(in, m)
			if !b.has(m) {
				t.Errorf("n=%d: has(%d) after set = false", n, m)
			}
			if got, want := b.first(), slices.Min(in); got != want {
				t.Errorf("n=%d after set %v: first() = %d, want %d", n, in, got, want)
			}
		}
		for len(in) > 0 {
			m := in[0] // remove the highest first, so first() stays put until the end
			in = in[1:]
			b.clear(m)
			if b.has(m) {
				t.Errorf("n=%d: has(%d) after clear = true", n, m)
			}
			want := -1
			if len(in) > 0 {
				want = slices.Min(in)
			}
			if got := b.first(); got != want {
				t.Errorf("n=%d after clear(%d): first() = %d, want %d", n, m, got, want)
			}
		}
	}
}
