package replace

import (
	"fmt"
	"slices"
	"testing"

	"github.com/vmkata/vmkata/vm"
	"pgregory.net/rapid"
)

// drawTrace draws a short trace over a small page alphabet, so that pages
// come back and memory fills.
func drawTrace(t *rapid.T) []Ref {
	pages := rapid.IntRange(1, 8).Draw(t, "pages")
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Ref {
		return Ref{
			Page:  vm.PageID(rapid.IntRange(1, pages).Draw(t, "page")),
			Write: rapid.IntRange(0, 3).Draw(t, "write") == 0,
		}
	}), 0, 60).Draw(t, "trace")
}

func optsFor(name string, refs []Ref) Options {
	if name == "opt" {
		return Options{Future: pagesOf(refs)}
	}
	return Options{Seed: 7, Window: 5, AgingTick: 3, DecayEvery: 7}
}

func TestPropertyContract(t *testing.T) {
	for _, name := range classic {
		t.Run(name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				frames := rapid.IntRange(1, 6).Draw(t, "frames")
				refs := drawTrace(t)
				p, err := New(name, frames, optsFor(name, refs))
				if err != nil {
					t.Fatal(err)
				}
				if err := Check(p, refs); err != nil {
					t.Fatalf("%s with %d frames on %v: %v", name, frames, refs, err)
				}
			})
		})
	}
}

func TestPropertyRemove(t *testing.T) {
	for _, name := range classic {
		t.Run(name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				frames := rapid.IntRange(1, 6).Draw(t, "frames")
				refs := drawTrace(t)
				p, _ := New(name, frames, optsFor(name, refs))
				for i, r := range refs {
					if i%4 == 3 {
						was, n := p.Contains(r.Page), p.Len()
						if got := p.Remove(r.Page); got != was || p.Contains(r.Page) || (was && p.Len() != n-1) {
							t.Fatalf("step %d: Remove(%v) = %v (resident before: %v, Len %d -> %d)", i, r.Page, got, was, n, p.Len())
						}
						continue
					}
					p.Access(r.Page, r.Write)
					if p.Len() > frames {
						t.Fatalf("step %d: Len() = %d > %d frames", i, p.Len(), frames)
					}
				}
			})
		})
	}
}

func faults(t *rapid.T, name string, frames int, refs []Ref) uint64 {
	res, err := Simulate(name, frames, refs, optsFor(name, refs), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Hits+res.Faults != res.Accesses || res.Accesses != uint64(len(refs)) {
		t.Fatalf("Simulate(%s) = %+v: hits + faults != accesses = %d", name, res, len(refs))
	}
	return res.Faults
}

func TestPropertyOPTIsOptimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		frames := rapid.IntRange(1, 6).Draw(t, "frames")
		refs := drawTrace(t)
		opt := faults(t, "opt", frames, refs)
		for _, name := range classic {
			if f := faults(t, name, frames, refs); f < opt {
				t.Fatalf("%s faults %d times on %v with %d frames, fewer than opt's %d", name, f, refs, frames, opt)
			}
		}
	})
}

func TestPropertyStackAlgorithmsHaveNoAnomaly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		frames := rapid.IntRange(1, 6).Draw(t, "frames")
		refs := drawTrace(t)
		for _, name := range []string{"lru", "opt"} {
			if k, k1 := faults(t, name, frames, refs), faults(t, name, frames+1, refs); k1 > k {
				t.Fatalf("%s on %v: %d faults with %d frames, %d with %d", name, refs, k, frames, k1, frames+1)
			}
		}
	})
}

func TestPropertyClockIsSecondChance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		frames := rapid.IntRange(1, 6).Draw(t, "frames")
		refs := drawTrace(t)
		c, _ := NewClock(frames)
		s, _ := NewSecondChance(frames)
		for i, r := range refs {
			h1, v1, e1 := c.Access(r.Page, r.Write)
			h2, v2, e2 := s.Access(r.Page, r.Write)
			if h1 != h2 || v1 != v2 || e1 != e2 {
				t.Fatalf("step %d Access(%v): clock (%v, %v, %v), second chance (%v, %v, %v)", i, r, h1, v1, e1, h2, v2, e2)
			}
		}
	})
}

func TestPropertyDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		frames := rapid.IntRange(1, 6).Draw(t, "frames")
		refs := drawTrace(t)
		for _, name := range classic {
			var a, b []string
			rec := func(dst *[]string) func(Step, vm.Policy) {
				return func(s Step, _ vm.Policy) { *dst = append(*dst, s.String()) }
			}
			Simulate(name, frames, refs, optsFor(name, refs), rec(&a))
			Simulate(name, frames, refs, optsFor(name, refs), rec(&b))
			if !slices.Equal(a, b) {
				t.Fatalf("%s differs between two runs on %v:\n%v\n%v", name, refs, a, b)
			}
		}
	})
}

// fakeBits is a kernel's PTE bits, for SetRefBits.
type fakeBits struct{ r, d map[vm.PageID]bool }

func (b fakeBits) Referenced(p vm.PageID) bool { return b.r[p] }
func (b fakeBits) ClearReferenced(p vm.PageID) { b.r[p] = false }
func (b fakeBits) Dirty(p vm.PageID) bool      { return b.d[p] }
func (b fakeBits) ClearDirty(p vm.PageID)      { b.d[p] = false }

// With the kernel's bits set exactly as the policy would set its own, the
// victims are the same.
func TestPropertyRefBitsMatchOwnBits(t *testing.T) {
	for _, name := range []string{"clock", "second-chance", "enhanced-clock", "aging", "wsclock"} {
		t.Run(name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				frames := rapid.IntRange(1, 6).Draw(t, "frames")
				refs := drawTrace(t)
				own, _ := New(name, frames, optsFor(name, refs))
				lent, _ := New(name, frames, optsFor(name, refs))
				bits := fakeBits{r: map[vm.PageID]bool{}, d: map[vm.PageID]bool{}}
				lent.(vm.RefBitsUser).SetRefBits(bits)
				for i, r := range refs {
					// The MMU sets A (and D on a write) for the access; a
					// page coming in starts clean.
					if !lent.Contains(r.Page) {
						bits.d[r.Page] = false
					}
					bits.r[r.Page] = true
					bits.d[r.Page] = bits.d[r.Page] || r.Write
					h1, v1, e1 := own.Access(r.Page, r.Write)
					h2, v2, e2 := lent.Access(r.Page, r.Write)
					if h1 != h2 || v1 != v2 || e1 != e2 {
						t.Fatalf("step %d Access(%v): own bits (%v, %v, %v), kernel's bits (%v, %v, %v)", i, r, h1, v1, e1, h2, v2, e2)
					}
				}
			})
		})
	}
}

// constructorsUnderTest are the two ways to build a policy: the readable versions
// and the simulation ones.
var constructorsUnderTest = []struct {
	name string
	new  func(string, int, Options) (vm.Policy, error)
}{{"New", New}, {"NewFast", NewFast}}

func TestAccessDoesNotAllocate(t *testing.T) {
	const frames = 64
	for _, c := range constructorsUnderTest {
		for _, name := range classic {
			var refs []Ref
			for i := range 4096 {
				refs = append(refs, Ref{Page: vm.PageID((i * 7919) % 200), Write: i%3 == 0})
			}
			p, err := c.new(name, frames, optsFor(name, append(slices.Clone(refs), refs...)))
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range refs {
				p.Access(r.Page, r.Write)
			}
			i := 0
			allocs := testing.AllocsPerRun(1000, func() {
				r := refs[i%len(refs)]
				i++
				p.Access(r.Page, r.Write)
			})
			if allocs != 0 {
				t.Errorf("%s(%q): Access allocates %v times per call after warm-up, want 0", c.name, name, allocs)
			}
		}
	}
}

func ExampleSimulate() {
	refs := Reads(7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1)
	for _, name := range []string{"fifo", "lru", "opt", "clock"} {
		res, _ := Simulate(name, 3, refs, Options{}, nil)
		fmt.Println(res)
	}
	// Output:
	// fifo with 3 frames: 20 accesses, 15 faults (75.0%)
	// lru with 3 frames: 20 accesses, 12 faults (60.0%)
	// opt with 3 frames: 20 accesses, 9 faults (45.0%)
	// clock with 3 frames: 20 accesses, 14 faults (70.0%)
}

func ExampleSimulate_steps() {
	Simulate("fifo", 3, Reads(1, 2, 3, 1, 4), Options{}, func(s Step, p vm.Policy) {
		fmt.Println(s, "resident", p.Resident(nil))
	})
	// Output:
	// step 0: 1 fault resident [1]
	// step 1: 2 fault resident [1 2]
	// step 2: 3 fault resident [1 2 3]
	// step 3: 1 hit resident [1 2 3]
	// step 4: 4 fault, evicted 1 resident [2 3 4]
}
