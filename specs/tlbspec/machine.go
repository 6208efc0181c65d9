package tlbspec

import (
	"fmt"
	"strings"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/vm"
)

// machine runs random operation sequences on the TLB under test and on the
// model, and compares every result.
type machine struct {
	cfg   vm.TLBConfig
	tlb   vm.TLB
	model *model
	sizes []vm.PageSize // the page sizes this run draws from
	trail []string      // the calls made so far, for failure messages
}

// configs are the geometries the machine draws: small, so that sets fill
// and evict often.
var configs = []vm.TLBConfig{
	{Entries: 1, Ways: 1},
	{Entries: 4, Ways: 1},
	{Entries: 8, Ways: 1},
	{Entries: 4, Ways: 2},
	{Entries: 8, Ways: 2},
	{Entries: 16, Ways: 2},
	{Entries: 4, Ways: 4},
	{Entries: 16, Ways: 4},
	{Entries: 8, Ways: 8},
}

// sizePools are the page-size mixes a run draws its entries from.
var sizePools = [][]vm.PageSize{
	{vm.Size4K},
	{vm.Size4K, vm.Size2M},
	{vm.Size4K, vm.Size2M, vm.Size1G},
	{64}, // the textbook geometry's 64-byte pages
}

// sizePool is a drawable page-size mix that prints as "[4K 2M]".
type sizePool []vm.PageSize

func (p sizePool) GoString() string { return fmt.Sprint([]vm.PageSize(p)) }

// runMachine is the property: for a drawn configuration, every call on the
// TLB returns what the model returns, and after every call Len, Stats and a
// Peek of every model entry agree.
func runMachine(t *rapid.T, build func(vm.TLBConfig) (vm.TLB, error)) {
	cfg := rapid.SampledFrom(configs).Draw(t, "config")
	pool := rapid.SampledFrom([]sizePool{sizePools[0], sizePools[1], sizePools[2], sizePools[3]}).Draw(t, "page sizes")
	tl, err := build(cfg)
	if err != nil {
		t.Fatalf("New(%v) = %v, want a TLB", cfg, err)
	}
	m := &machine{cfg: cfg, tlb: tl, model: newModel(cfg), sizes: pool}
	t.Logf("New(%v), pages of %v", cfg, []vm.PageSize(pool))

	t.Repeat(map[string]func(*rapid.T){
		"Insert": func(t *rapid.T) { m.run(t, m.insertGen().Draw(t, "op")) },
		"Lookup": func(t *rapid.T) { m.run(t, m.probeGen(lookupOp).Draw(t, "op")) },
		"Peek":   func(t *rapid.T) { m.run(t, m.probeGen(peekOp).Draw(t, "op")) },
		"Flush":  func(t *rapid.T) { m.run(t, m.flushGen().Draw(t, "op")) },
		"":       m.check,
	})
}

// flushGen draws one of the four flushes, FlushAll (which empties the TLB)
// the least often.
func (m *machine) flushGen() *rapid.Generator[op] {
	return rapid.Custom(func(t *rapid.T) op {
		switch rapid.IntRange(0, 7).Draw(t, "flush") {
		case 0:
			return flushAllOp()
		case 1:
			return flushNonGlobalOp()
		case 2, 3:
			return flushASIDOp(asidGen.Draw(t, "asid"))
		}
		return m.probeGen(flushPageOp).Draw(t, "op")
	})
}

var asidGen = rapid.SampledFrom([]vm.ASID{0, 1, 2})

// perms are the permissions drawn entries carry, the plainest first.
var perms = []vm.Perm{vm.PermRW | vm.PermUser, vm.PermRead | vm.PermUser, vm.PermRX | vm.PermUser, vm.PermRW, vm.PermRX, vm.PermRWX}

// address draws a page-aligned address of size: one of the first few pages
// of one of three regions (0, 2M and 1G), so that pages share sets, small
// pages fall inside huge ones, and the same address recurs in several ASIDs.
func (m *machine) address(t *rapid.T, size vm.PageSize) vm.VAddr {
	sets := m.cfg.Entries / m.cfg.Ways
	region := rapid.SampledFrom([]vm.VAddr{0, 1 << 21, 1 << 30}).Draw(t, "region")
	k := rapid.IntRange(0, 3*sets).Draw(t, "page")
	return (region + vm.VAddr(k)*vm.VAddr(size)) &^ vm.VAddr(size-1)
}

// insertGen draws an Insert: mostly well formed, sometimes with a bad size
// or a misaligned address (which must fail and change nothing). A third of
// the time the page goes into the set of an entry already held, so that sets
// fill and the LRU choice matters.
func (m *machine) insertGen() *rapid.Generator[op] {
	return rapid.Custom(func(t *rapid.T) op {
		size := rapid.SampledFrom(m.sizes).Draw(t, "size")
		va := m.address(t, size)
		if held := m.model.all(); len(held) > 0 && rapid.IntRange(0, 2).Draw(t, "into a held entry's set") == 2 {
			// Another page of the same size in the same set: sets pages on.
			near := rapid.SampledFrom(held).Draw(t, "entry")
			sets := m.cfg.Entries / m.cfg.Ways
			size = near.Size
			va = near.VA + vm.VAddr(rapid.IntRange(1, 3).Draw(t, "sets on")*sets)*vm.VAddr(size)
		}
		e := vm.TLBEntry{
			ASID:   asidGen.Draw(t, "asid"),
			VA:     va,
			Size:   size,
			PFN:    vm.PFN(0x100 + rapid.IntRange(0, 0xff).Draw(t, "pfn")),
			Perm:   rapid.SampledFrom(perms).Draw(t, "perm"),
			Global: rapid.IntRange(0, 4).Draw(t, "global") == 4,
			Dirty:  rapid.Bool().Draw(t, "dirty"),
		}
		// Draws shrink towards 0, so 0 is the plain case: a failure shrinks
		// to well-formed, non-global entries when those suffice.
		switch rapid.IntRange(0, 19).Draw(t, "malformed") {
		case 18:
			e.VA += vm.VAddr(rapid.IntRange(1, int(size)-1).Draw(t, "misalignment"))
		case 19:
			e.Size = rapid.SampledFrom([]vm.PageSize{0, 3, 0x3000}).Draw(t, "bad size")
		}
		return insertOp(e)
	})
}

// probeGen draws an address-and-ASID call (Lookup, Peek, FlushPage): three
// times in four inside an entry the model holds (at any offset), else
// anywhere near the drawn pages. Near an entry, it mostly uses the entry's
// ASID, so that lookups hit.
func (m *machine) probeGen(mk func(vm.ASID, vm.VAddr) op) *rapid.Generator[op] {
	return rapid.Custom(func(t *rapid.T) op {
		asid := asidGen.Draw(t, "asid")
		held := m.model.all()
		if len(held) > 0 && rapid.IntRange(0, 3).Draw(t, "near an entry") > 0 {
			e := rapid.SampledFrom(held).Draw(t, "entry")
			off := rapid.Uint64Range(0, uint64(e.Size)-1).Draw(t, "offset")
			if rapid.IntRange(0, 3).Draw(t, "its asid") > 0 {
				asid = e.ASID
			}
			return mk(asid, e.VA+vm.VAddr(off))
		}
		size := rapid.SampledFrom(m.sizes).Draw(t, "size")
		off := rapid.Uint64Range(0, uint64(size)-1).Draw(t, "offset")
		return mk(asid, m.address(t, size)+vm.VAddr(off))
	})
}

// run makes one call on both the TLB and the model and compares results.
func (m *machine) run(t *rapid.T, o op) {
	got := o.apply(m.tlb)
	want := m.model.apply(o)
	t.Logf("%v = %s", o, got.describe(false))
	m.trail = append(m.trail, traced(o, got))
	if !want.matches(got) {
		m.fail(t, "%v = %s, want %s", o, got.describe(false), want.describe(true))
	}
}

// check is the invariant after every call: the TLB holds exactly the
// model's entries (Len agrees and Peek finds each model entry at its first
// and last byte), and Stats agrees. It peeks each set's entries most recently
// used first: a TLB whose Peek wrongly refreshes recency ends up with the
// order reversed, and its next eviction gives it away.
func (m *machine) check(t *rapid.T) {
	if got, want := m.tlb.Len(), m.model.len(); got != want {
		m.fail(t, "Len() = %d, want %d (an entry was not replaced, not evicted, or not flushed)", got, want)
	}
	for _, e := range m.model.mruFirst() {
		last := e.VA + vm.VAddr(e.Size-1)
		for _, va := range []vm.VAddr{e.VA, last} {
			if got, ok := m.tlb.Peek(e.ASID, va); !ok || got != e {
				m.fail(t, "Peek(%v, %v) = %s, want hit %v",
					e.ASID, va, result{kind: opPeek, hit: ok, entry: got}.describe(false), e)
			}
		}
	}
	if got, want := m.tlb.Stats(), m.model.stats; got != want {
		m.fail(t, "Stats() = %s, want %s",
			result{kind: opStats, stats: got}.describe(false), result{kind: opStats, stats: want}.describe(true))
	}
}

// fail reports a mismatch with the whole call sequence and what the TLB
// should hold.
func (m *machine) fail(t *rapid.T, format string, args ...any) {
	t.Fatalf("%s\nsequence: New(%v) · %s\nexpected contents (per set, least recently used first): %v",
		fmt.Sprintf(format, args...), m.cfg, strings.Join(m.trail, " · "), m.model)
}
