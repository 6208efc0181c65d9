package mmuspec

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/specs/internal/feedback"
	"github.com/vmkata/vmkata/vm"
)

// The state machine plays random operations of a kernel (Map, Unmap,
// Protect, with the TLB invalidations the contract asks for) and of a
// program (Translate, Load, Store) on the MMU under test, and checks every
// answer against a model: which pages are mapped where with what
// permissions, which of them were accessed and written, and every byte
// stored, at its physical address.

// machinePages are the pages the machine maps and touches: four neighbours
// in one last-level table (so that accesses cross pages), one in another
// table, and the top of the user half. Accesses may also run into the
// unmapped page after the last neighbour.
var machinePages = []vm.VAddr{0x400000, 0x401000, 0x402000, 0x403000, 0x800000, 0x7ffffffff000}

// machinePerms are the permissions the machine maps with: user and kernel,
// read-only, writable, executable.
var machinePerms = []vm.Perm{
	vm.PermRead | vm.PermUser, vm.PermRW | vm.PermUser, vm.PermRX | vm.PermUser, vm.PermRWX | vm.PermUser,
	vm.PermRead, vm.PermRW,
}

// machineFrames are the data frames the machine maps pages to.
var machineFrames = []vm.PFN{0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107}

// offsets are the page offsets accesses start at: page starts and ends, so
// that multi-byte accesses cross page boundaries often.
var offsets = []uint64{0, 1, 0x7f8, 0xff8, 0xffc, 0xfff}

// page is the model of one mapped page.
type page struct {
	pfn      vm.PFN
	perm     vm.Perm
	global   bool
	accessed bool // A must be set in the leaf
	dirty    bool // D must be set in the leaf
}

// machine is the state of one run.
type machine struct {
	r           *rig
	pages       map[vm.VAddr]*page  // mapped pages by address
	bytes       map[vm.PAddr]byte   // every byte stored, at its physical address; others are 0
	frameOwner  map[vm.PFN]vm.VAddr // data frames in use
	translation uint64              // translations the MMU must have counted
	faults      uint64              // faults it must have counted
	gp          uint64              // of those, non-canonical addresses: no TLB lookup
	trail       []string            // the calls made so far, for failure messages
}

// logf records a call (or a call and its result) in the trail and the log.
func (m *machine) logf(t *rapid.T, format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	m.trail = append(m.trail, s)
	t.Logf("%s", s)
}

// fatalf fails the run with the message and the calls that led to it.
func (m *machine) fatalf(t *rapid.T, format string, args ...any) {
	t.Fatalf("%s\nsequence:\n  %s", fmt.Sprintf(format, args...), strings.Join(m.trail, "\n  "))
}

func runMachine(build Factory) {
	feedback.Check(func(t *rapid.T) {
		tlbCfg := rapid.SampledFrom([]vm.TLBConfig{{Entries: 1, Ways: 1}, {Entries: 4, Ways: 2}, {Entries: 16, Ways: 4}}).Draw(t, "tlb")
		m := &machine{
			r:          newRigT(t, build, tlbCfg),
			pages:      map[vm.VAddr]*page{},
			bytes:      map[vm.PAddr]byte{},
			frameOwner: map[vm.PFN]vm.VAddr{},
		}
		m.logf(t, "New(x86-64, TLB %v); LoadCR3(table, 0, false)", tlbCfg)
		t.Repeat(map[string]func(*rapid.T){
			"Map":       m.mapPage,
			"Unmap":     m.unmap,
			"Protect":   m.protect,
			"Translate": m.translate,
			"Load":      m.load,
			"Store":     m.store,
			"LoadCR3":   m.reload,
			"":          m.check,
		})
	})
}

// newRigT is newRig for a rapid run: it reports failures through t.
func newRigT(t *rapid.T, build Factory, tlbCfg vm.TLBConfig) *rig {
	var r *rig
	var failure error
	func() {
		defer func() {
			if p := recover(); p != nil {
				failure = fmt.Errorf("building the machine panicked: %v", p)
			}
		}()
		r = newRig(build, vm.X86_64, rigOptions{tlb: tlbCfg, frames: 0x110})
	}()
	if failure != nil {
		t.Fatalf("%v", failure)
	}
	return r
}

func (m *machine) mapPage(t *rapid.T) {
	va := rapid.SampledFrom(machinePages).Draw(t, "va")
	if m.pages[va] != nil {
		t.Skip("already mapped")
	}
	var free []vm.PFN
	for _, f := range machineFrames {
		if _, used := m.frameOwner[f]; !used {
			free = append(free, f)
		}
	}
	pfn := rapid.SampledFrom(free).Draw(t, "pfn")
	mp := vm.Mapping{VA: va, PFN: pfn, Size: vm.Size4K, Perm: rapid.SampledFrom(machinePerms).Draw(t, "perm")}
	mp.Global = mp.Perm&vm.PermUser == 0 && rapid.Bool().Draw(t, "global")
	m.logf(t, "Map(%v)", mp)
	if err := m.r.pt.Map(mp); err != nil {
		m.fatalf(t, "Map(%v) = %v, want success", mp, err)
	}
	m.pages[va] = &page{pfn: pfn, perm: mp.Perm, global: mp.Global}
	m.frameOwner[pfn] = va
}

func (m *machine) unmap(t *rapid.T) {
	va := m.drawMapped(t)
	m.logf(t, "Unmap(%v); FlushPage(asid 0, %v)", va, va)
	if _, err := m.r.pt.Unmap(va); err != nil {
		m.fatalf(t, "Unmap(%v) = %v, want success", va, err)
	}
	m.r.tlb.FlushPage(0, va)
	delete(m.frameOwner, m.pages[va].pfn)
	delete(m.pages, va)
}

func (m *machine) protect(t *rapid.T) {
	va := m.drawMapped(t)
	perm := rapid.SampledFrom(machinePerms).Draw(t, "perm")
	m.logf(t, "Protect(%v, %v); FlushPage(asid 0, %v)", va, perm, va)
	if err := m.r.pt.Protect(va, perm); err != nil {
		m.fatalf(t, "Protect(%v, %v) = %v, want success", va, perm, err)
	}
	m.r.tlb.FlushPage(0, va)
	m.pages[va].perm = perm
}

func (m *machine) reload(t *rapid.T) {
	m.logf(t, "LoadCR3(table, 0, false)")
	m.r.mmu.LoadCR3(m.r.pt, 0, false)
}

// drawMapped draws a mapped page, or skips the action if there is none.
func (m *machine) drawMapped(t *rapid.T) vm.VAddr {
	if len(m.pages) == 0 {
		t.Skip("nothing mapped")
	}
	return rapid.SampledFrom(slices.Sorted(maps.Keys(m.pages))).Draw(t, "mapped va")
}

// drawAddr draws an address near a page boundary of a machine page.
func drawAddr(t *rapid.T) vm.VAddr {
	return rapid.SampledFrom(machinePages).Draw(t, "page") + vm.VAddr(rapid.SampledFrom(offsets).Draw(t, "offset"))
}

// expect returns what translating va for a must give according to the
// model: the physical address, or the fault kind and error code.
func (m *machine) expect(va vm.VAddr, a vm.Access) (vm.PAddr, vm.FaultKind, vm.ErrorCode) {
	if va >= 1<<47 && va < 0xffff800000000000 {
		return 0, vm.FaultNonCanonical, 0
	}
	p := m.pages[va&^0xfff]
	var code vm.ErrorCode
	if a.Kind == vm.Write {
		code |= vm.ErrCodeW
	}
	if a.User {
		code |= vm.ErrCodeU
	}
	if a.Kind == vm.Execute {
		code |= vm.ErrCodeI
	}
	switch {
	case p == nil:
		return 0, vm.FaultNotPresent, code
	case !p.perm.Has(a.Needs()):
		return 0, vm.FaultProtection, code | vm.ErrCodeP
	}
	return vm.PAddr(uint64(p.pfn)<<12 | uint64(va&0xfff)), 0, 0
}

// checkFault checks that err is the fault the model predicts at va.
func (m *machine) checkFault(t *rapid.T, call string, err error, va vm.VAddr, a vm.Access, kind vm.FaultKind, code vm.ErrorCode) {
	var f *vm.Fault
	if !errors.As(err, &f) {
		m.fatalf(t, "%s = %v, want a %v fault at %v (code %v)", call, err, kind, va, code)
	}
	if f.Addr != va || f.Access != a || f.Kind != kind || f.Code != code {
		m.fatalf(t, "%s faulted with %+v, want Addr %v, Access %v, Kind %v, Code %v", call, *f, va, a, kind, code)
	}
	if kind == vm.FaultNonCanonical {
		m.gp++
		if f.Level != 0 {
			m.fatalf(t, "%s faulted with %+v, want level 0: no walk happens for a non-canonical address", call, *f)
		}
		return
	}
	w, werr := m.r.pt.Walk(va)
	if werr != nil {
		m.fatalf(t, "Walk(%v) = %v", va, werr)
	}
	stop := 4 - w.Steps + 1
	if f.Level != stop && !(kind == vm.FaultProtection && f.Level == 0) {
		m.fatalf(t, "%s faulted at level %d; the walk stops at level %d (%v)", call, f.Level, stop, w)
	}
}

// succeeded records a successful access of the page containing va.
func (m *machine) succeeded(va vm.VAddr, a vm.Access) {
	p := m.pages[va&^0xfff]
	p.accessed = true
	if a.Kind == vm.Write {
		p.dirty = true
	}
}

func (m *machine) translate(t *rapid.T) {
	va := drawAddr(t)
	a := vm.Access{Kind: rapid.SampledFrom([]vm.AccessKind{vm.Read, vm.Write, vm.Execute}).Draw(t, "kind"), User: rapid.Bool().Draw(t, "user")}
	call := fmt.Sprintf("Translate(%v, %v)", va, a)
	got, err := m.r.mmu.Translate(va, a)
	want, kind, code := m.expect(va, a)
	m.translation++
	if kind != 0 {
		m.logf(t, "%s = %v", call, err)
		m.faults++
		m.checkFault(t, call, err, va, a, kind, code)
		return
	}
	m.logf(t, "%s = %v, %v", call, got, err)
	if err != nil || got != want {
		m.fatalf(t, "%s = %v, %v; want %v, nil", call, got, err, want)
	}
	m.succeeded(va, a)
}

// pieces splits [va, va+n) at page boundaries.
func pieces(va vm.VAddr, n int) []vm.VAddr {
	var out []vm.VAddr
	for a := va; a < va+vm.VAddr(n); a = (a &^ 0xfff) + 0x1000 {
		out = append(out, a)
	}
	return out
}

// expectRange returns the physical address of each byte of [va, va+n) and
// the first piece that faults, with its fault, as the model predicts. It
// counts the translations the MMU makes: one per piece up to the first
// fault.
func (m *machine) expectRange(va vm.VAddr, n int, a vm.Access) (pas []vm.PAddr, at vm.VAddr, kind vm.FaultKind, code vm.ErrorCode) {
	for _, pc := range pieces(va, n) {
		m.translation++
		pa, k, c := m.expect(pc, a)
		if k != 0 {
			m.faults++
			return nil, pc, k, c
		}
		end := min(va+vm.VAddr(n), (pc&^0xfff)+0x1000)
		for b := pc; b < end; b++ {
			pas = append(pas, pa+vm.PAddr(b-pc))
		}
	}
	return pas, 0, 0, 0
}

func (m *machine) store(t *rapid.T) {
	va := drawAddr(t)
	data := rapid.SliceOfN(rapid.Byte(), 1, 8).Draw(t, "data")
	user := rapid.Bool().Draw(t, "user")
	a := vm.Access{Kind: vm.Write, User: user}
	call := fmt.Sprintf("Store(%v, % x, user=%v)", va, data, user)
	err := m.r.mmu.Store(va, data, user)
	m.logf(t, "%s = %v", call, err)
	pas, at, kind, code := m.expectRange(va, len(data), a)
	if kind != 0 {
		m.checkFault(t, call, err, at, a, kind, code)
		// Earlier pieces were translated, and so accessed and dirtied.
		for _, pc := range pieces(va, len(data)) {
			if pc == at {
				break
			}
			m.succeeded(pc, a)
		}
		return
	}
	if err != nil {
		m.fatalf(t, "%s = %v, want success", call, err)
	}
	for i, pa := range pas {
		m.bytes[pa] = data[i]
	}
	for _, pc := range pieces(va, len(data)) {
		m.succeeded(pc, a)
	}
}

func (m *machine) load(t *rapid.T) {
	va := drawAddr(t)
	n := rapid.IntRange(1, 8).Draw(t, "n")
	user := rapid.Bool().Draw(t, "user")
	a := vm.Access{Kind: vm.Read, User: user}
	call := fmt.Sprintf("Load(%v, %d bytes, user=%v)", va, n, user)
	got := make([]byte, n)
	for i := range got {
		got[i] = 0xee
	}
	err := m.r.mmu.Load(va, got, user)
	pas, at, kind, code := m.expectRange(va, n, a)
	if kind != 0 {
		m.logf(t, "%s = %v", call, err)
		m.checkFault(t, call, err, at, a, kind, code)
		for i, b := range got {
			if b != 0xee {
				m.fatalf(t, "%s faulted but changed byte %d of the buffer to %#x", call, i, b)
			}
		}
		for _, pc := range pieces(va, n) {
			if pc == at {
				break
			}
			m.succeeded(pc, a)
		}
		return
	}
	m.logf(t, "%s = % x, %v", call, got, err)
	if err != nil {
		m.fatalf(t, "%s = %v, want success", call, err)
	}
	for i, pa := range pas {
		if got[i] != m.bytes[pa] {
			m.fatalf(t, "%s: byte %d (physical %v) = %#x, want %#x, the byte last stored there", call, i, pa, got[i], m.bytes[pa])
		}
	}
	for _, pc := range pieces(va, n) {
		m.succeeded(pc, a)
	}
}

// check is the invariant: the page table still says what the model says
// (the MMU set A on accessed pages, D exactly on written ones, and nothing
// else); every TLB entry agrees with the page table; every byte stored is
// in physical memory; the statistics add up under the cost model.
func (m *machine) check(t *rapid.T) {
	for _, va := range machinePages {
		w, err := m.r.pt.Walk(va)
		if err != nil {
			m.fatalf(t, "Walk(%v) = %v", va, err)
		}
		p := m.pages[va]
		e, cached := m.r.tlb.Peek(0, va)
		if p == nil {
			if w.Present() {
				m.fatalf(t, "Walk(%v) found a page the model does not map: %v", va, w)
			}
			if cached {
				m.fatalf(t, "the TLB holds %v for unmapped %v: a stale entry", e, va)
			}
			continue
		}
		l := w.Leaf()
		if !w.Present() || l.PFN() != p.pfn || w.Perm != p.perm {
			m.fatalf(t, "Walk(%v) = %v, want %v mapped with %v", va, w, p.pfn, p.perm)
		}
		if got := l.Has(vm.PTEAccessed); got != p.accessed {
			m.fatalf(t, "the leaf for %v has A = %v, want %v (A is set by every successful access and nothing else): %v", va, got, p.accessed, w)
		}
		if got := l.Has(vm.PTEDirty); got != p.dirty {
			m.fatalf(t, "the leaf for %v has D = %v, want %v (D is set by successful writes only): %v", va, got, p.dirty, w)
		}
		if cached {
			want := vm.TLBEntry{ASID: e.ASID, VA: va, Size: vm.Size4K, PFN: p.pfn, Perm: p.perm, Global: p.global, Dirty: e.Dirty}
			if e != want || (e.Dirty && !p.dirty) || (!e.Global && e.ASID != 0) {
				m.fatalf(t, "the TLB holds %v for %v, which the page table maps as %v", e, va, w)
			}
		}
	}
	var window [32]byte
	for _, pfn := range machineFrames {
		for _, off := range []uint64{0, 0x7f0, 0xfe0} { // every byte an access can reach: offsets + up to 8 bytes
			base := vm.PAddr(uint64(pfn)<<12 + off)
			if err := m.r.mem.Read(base, window[:]); err != nil {
				m.fatalf(t, "reading physical memory at %v: %v", base, err)
			}
			for i, got := range window {
				if want := m.bytes[base+vm.PAddr(i)]; got != want {
					m.fatalf(t, "physical memory at %v holds %#x, want %#x (the byte last stored there, or 0): a store wrote where it should not", base+vm.PAddr(i), got, want)
				}
			}
		}
	}
	s := m.r.mmu.Stats()
	if s.Translations != m.translation || s.Faults != m.faults {
		m.fatalf(t, "Stats() = %v; want %d translations and %d faults (Load and Store translate once per page, up to the first fault)", s, m.translation, m.faults)
	}
	lookups := s.Translations - m.gp
	if s.TLBHits+s.TLBMisses != lookups {
		m.fatalf(t, "Stats() = %v: hits + misses != %d translations - %d non-canonical addresses (which are not looked up)", s, s.Translations, m.gp)
	}
	c := specCost
	want := c.TLBHit*lookups + c.MemRef*(s.WalkReads+s.Translations-s.Faults) + c.FaultService*s.Faults
	if s.Cycles != want {
		m.fatalf(t, "Stats() = %v: cycles %d, want %d = %d lookups×%d + (%d walk reads + %d data references)×%d + %d faults×%d",
			s, s.Cycles, want, lookups, c.TLBHit, s.WalkReads, s.Translations-s.Faults, c.MemRef, s.Faults, c.FaultService)
	}
}
