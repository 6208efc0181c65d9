package tlbspec

import (
	"fmt"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// model is the TLB the specs believe in, written for clarity, not speed:
// per set, a slice of entries ordered from least to most recently used.
//
// The rules it encodes (the contract the specs check):
//   - An entry of size S lives in set (VA >> log2(S)) & (sets-1).
//   - An entry matches (asid, va) when va is in its page and it is global or
//     tagged asid.
//   - Insert first drops every entry whose page overlaps e's and that would
//     match a lookup e matches (same ASID, or either one global); those are
//     replacements, not evictions. Then, if e's set holds Ways entries, its
//     least recently used one is evicted. e becomes the most recently used.
//   - A Lookup hit makes its entry the most recently used; Peek changes
//     nothing and counts nothing.
//   - FlushAll drops all, FlushNonGlobal the non-global entries, FlushASID(a)
//     a's non-global entries, FlushPage(a, va) the entry matching (a, va).
type model struct {
	ways  int
	sets  uint64
	order [][]vm.TLBEntry // order[s]: set s, least recently used first
	stats vm.TLBStats
}

func newModel(cfg vm.TLBConfig) *model {
	sets := cfg.Entries / cfg.Ways
	return &model{ways: cfg.Ways, sets: uint64(sets), order: make([][]vm.TLBEntry, sets)}
}

// setOf returns the set an entry lives in.
func (m *model) setOf(e vm.TLBEntry) int {
	return int(uint64(e.VA) / uint64(e.Size) % m.sets)
}

// covers reports whether va lies in e's page.
func covers(e vm.TLBEntry, va vm.VAddr) bool {
	return va&^vm.VAddr(e.Size-1) == e.VA
}

func matches(e vm.TLBEntry, asid vm.ASID, va vm.VAddr) bool {
	return covers(e, va) && (e.Global || e.ASID == asid)
}

// collide reports whether some lookup would match both a and b.
func collide(a, b vm.TLBEntry) bool {
	return (covers(a, b.VA) || covers(b, a.VA)) && (a.Global || b.Global || a.ASID == b.ASID)
}

// find returns the set and position of the entry matching (asid, va).
func (m *model) find(asid vm.ASID, va vm.VAddr) (set, pos int, ok bool) {
	for s, es := range m.order {
		for i, e := range es {
			if matches(e, asid, va) {
				return s, i, true
			}
		}
	}
	return 0, 0, false
}

// len returns the number of entries.
func (m *model) len() int {
	n := 0
	for _, es := range m.order {
		n += len(es)
	}
	return n
}

// all returns every entry, set by set.
func (m *model) all() []vm.TLBEntry {
	var out []vm.TLBEntry
	for _, es := range m.order {
		out = append(out, es...)
	}
	return out
}

// mruFirst returns every entry, set by set, most recently used first.
func (m *model) mruFirst() []vm.TLBEntry {
	var out []vm.TLBEntry
	for _, es := range m.order {
		for i := len(es) - 1; i >= 0; i-- {
			out = append(out, es[i])
		}
	}
	return out
}

// keep drops the entries for which keep returns false.
func (m *model) keep(keep func(vm.TLBEntry) bool) {
	for s, es := range m.order {
		kept := es[:0]
		for _, e := range es {
			if keep(e) {
				kept = append(kept, e)
			}
		}
		m.order[s] = kept
	}
}

// apply performs o on the model and returns what a correct TLB returns.
func (m *model) apply(o op) result {
	r := result{kind: o.kind}
	switch o.kind {
	case opInsert:
		r.err = m.insert(o.entry)
	case opLookup:
		s, i, ok := m.find(o.asid, o.va)
		if !ok {
			m.stats.Misses++
			break
		}
		m.stats.Hits++
		e := m.order[s][i]
		m.order[s] = append(append(m.order[s][:i:i], m.order[s][i+1:]...), e)
		r.hit, r.entry = true, e
	case opPeek:
		if s, i, ok := m.find(o.asid, o.va); ok {
			r.hit, r.entry = true, m.order[s][i]
		}
	case opFlushAll:
		m.stats.Flushes++
		m.keep(func(vm.TLBEntry) bool { return false })
	case opFlushNonGlobal:
		m.stats.Flushes++
		m.keep(func(e vm.TLBEntry) bool { return e.Global })
	case opFlushASID:
		m.stats.Flushes++
		m.keep(func(e vm.TLBEntry) bool { return e.Global || e.ASID != o.asid })
	case opFlushPage:
		m.stats.Flushes++
		m.keep(func(e vm.TLBEntry) bool { return !matches(e, o.asid, o.va) })
	case opLen:
		r.n = m.len()
	case opStats:
		r.stats = m.stats
	}
	return r
}

func (m *model) insert(e vm.TLBEntry) error {
	if e.Size == 0 || e.Size&(e.Size-1) != 0 {
		return vm.ErrInvalidConfig
	}
	if uint64(e.VA)%uint64(e.Size) != 0 {
		return vm.ErrNotAligned
	}
	m.keep(func(x vm.TLBEntry) bool { return !collide(x, e) })
	s := m.setOf(e)
	if len(m.order[s]) == m.ways {
		m.order[s] = m.order[s][1:]
		m.stats.Evictions++
	}
	m.order[s] = append(m.order[s], e)
	m.stats.Inserts++
	return nil
}

// String prints the sets, least recently used first, e.g.
// "set 0: [asid 1 0x0 -> pfn 0x1 (4K rw-u)] · set 1: []".
func (m *model) String() string {
	var b strings.Builder
	for s, es := range m.order {
		if s > 0 {
			b.WriteString(" · ")
		}
		fmt.Fprintf(&b, "set %d: %v", s, es)
	}
	return b.String()
}
