package tlbspec

import (
	"errors"
	"fmt"

	"github.com/vmkata/vmkata/vm"
)

// opKind names a vm.TLB method.
type opKind uint8

const (
	opInsert opKind = iota
	opLookup
	opPeek
	opFlushAll
	opFlushNonGlobal
	opFlushASID
	opFlushPage
	opLen
	opStats
)

// op is one call on a TLB. It prints as the call, e.g.
// "Insert(asid 1 0x3000 -> pfn 0x7 (4K rw-u))" or "Lookup(asid 1, 0x3000)",
// because a failing sequence of ops is what a learner reads.
type op struct {
	kind  opKind
	entry vm.TLBEntry // Insert
	asid  vm.ASID     // Lookup, Peek, FlushASID, FlushPage
	va    vm.VAddr    // Lookup, Peek, FlushPage
}

func insertOp(e vm.TLBEntry) op                { return op{kind: opInsert, entry: e} }
func lookupOp(asid vm.ASID, va vm.VAddr) op    { return op{kind: opLookup, asid: asid, va: va} }
func peekOp(asid vm.ASID, va vm.VAddr) op      { return op{kind: opPeek, asid: asid, va: va} }
func flushAllOp() op                           { return op{kind: opFlushAll} }
func flushNonGlobalOp() op                     { return op{kind: opFlushNonGlobal} }
func flushASIDOp(asid vm.ASID) op              { return op{kind: opFlushASID, asid: asid} }
func flushPageOp(asid vm.ASID, va vm.VAddr) op { return op{kind: opFlushPage, asid: asid, va: va} }
func lenOp() op                                { return op{kind: opLen} }
func statsOp() op                              { return op{kind: opStats} }

func (o op) String() string {
	switch o.kind {
	case opInsert:
		return fmt.Sprintf("Insert(%v)", o.entry)
	case opLookup:
		return fmt.Sprintf("Lookup(%v, %v)", o.asid, o.va)
	case opPeek:
		return fmt.Sprintf("Peek(%v, %v)", o.asid, o.va)
	case opFlushAll:
		return "FlushAll()"
	case opFlushNonGlobal:
		return "FlushNonGlobal()"
	case opFlushASID:
		return fmt.Sprintf("FlushASID(%v)", o.asid)
	case opFlushPage:
		return fmt.Sprintf("FlushPage(%v, %v)", o.asid, o.va)
	case opLen:
		return "Len()"
	case opStats:
		return "Stats()"
	}
	return "op?"
}

// GoString makes rapid's draw log ("[rapid] draw op: …") read like the call.
func (o op) GoString() string { return o.String() }

// apply makes the call on the TLB under test and records what came back.
func (o op) apply(t vm.TLB) result {
	r := result{kind: o.kind}
	switch o.kind {
	case opInsert:
		r.err = t.Insert(o.entry)
	case opLookup:
		r.entry, r.hit = t.Lookup(o.asid, o.va)
	case opPeek:
		r.entry, r.hit = t.Peek(o.asid, o.va)
	case opFlushAll:
		t.FlushAll()
	case opFlushNonGlobal:
		t.FlushNonGlobal()
	case opFlushASID:
		t.FlushASID(o.asid)
	case opFlushPage:
		t.FlushPage(o.asid, o.va)
	case opLen:
		r.n = t.Len()
	case opStats:
		r.stats = t.Stats()
	}
	return r
}

// result is what one op returned: a hit and its entry (Lookup, Peek), an
// error (Insert), a count (Len) or the counters (Stats). Flushes return
// nothing.
type result struct {
	kind  opKind
	hit   bool
	entry vm.TLBEntry
	err   error // Insert: nil, or (in a wanted result) the sentinel the error must wrap
	n     int
	stats vm.TLBStats
	exact bool // a wanted miss: the entry returned must be the zero entry
}

// Wanted results, for the textbook tables.
var (
	miss      = result{kind: opLookup}
	exactMiss = result{kind: opLookup, exact: true}
	okay      = result{kind: opInsert}
	noWant    = result{kind: opFlushAll}
)

func hit(e vm.TLBEntry) result      { return result{kind: opLookup, hit: true, entry: e} }
func fails(sentinel error) result   { return result{kind: opInsert, err: sentinel} }
func count(n int) result            { return result{kind: opLen, n: n} }
func counters(s vm.TLBStats) result { return result{kind: opStats, stats: s} }

// matches reports whether got (from the TLB) is what want (from the model or
// a table) asks for. Lookup and Peek compare hit and entry, Insert compares
// errors with errors.Is, Len and Stats compare values; flushes always match.
func (want result) matches(got result) bool {
	switch want.kind {
	case opLookup, opPeek:
		return got.hit == want.hit && (!want.hit && !want.exact || got.entry == want.entry)
	case opInsert:
		if want.err == nil {
			return got.err == nil
		}
		return errors.Is(got.err, want.err)
	case opLen:
		return got.n == want.n
	case opStats:
		return got.stats == want.stats
	}
	return true
}

// describe prints r as the outcome of o; wanted says whether r is a wanted
// result (errors print as "an error wrapping …") or a got one.
func (r result) describe(wanted bool) string {
	switch r.kind {
	case opLookup, opPeek:
		switch {
		case r.hit:
			return "hit " + r.entry.String()
		case r.exact:
			return "miss with the zero entry"
		case !wanted && r.entry != (vm.TLBEntry{}):
			return "miss with entry " + r.entry.String()
		}
		return "miss"
	case opInsert:
		switch {
		case r.err == nil:
			return "ok"
		case wanted:
			return fmt.Sprintf("an error wrapping %q", r.err)
		}
		return fmt.Sprintf("error %q", r.err)
	case opLen:
		return fmt.Sprint(r.n)
	case opStats:
		s := r.stats
		return fmt.Sprintf("{hits %d, misses %d, inserts %d, evictions %d, flushes %d}", s.Hits, s.Misses, s.Inserts, s.Evictions, s.Flushes)
	}
	return "done"
}

// traced prints o for a call sequence: the call, and what it returned when
// that matters to a reader ("Lookup(asid 1, 0x3000) = miss").
func traced(o op, got result) string {
	if o.kind == opLookup || o.kind == opPeek || got.err != nil {
		return o.String() + " = " + got.describe(false)
	}
	return o.String()
}
