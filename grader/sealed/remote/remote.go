// Package remote holds the proxies through which the judge calls a
// learner's package in the subject process, and the subject calls the
// judge's collaborators back: one type per vm contract, each forwarding
// every method over a wire.Conn. Importing the package registers the
// proxies and vm's value types and sentinel errors with wire, on both
// sides alike.
package remote

import (
	"fmt"
	"iter"

	"github.com/vmkata/vmkata/grader/sealed/wire"
	"github.com/vmkata/vmkata/vm"
)

// object is what every proxy holds: the connection and the remote object.
type object struct {
	c *wire.Conn
	r wire.Ref
}

// WireRef implements wire.Proxy.
func (o object) WireRef() (*wire.Conn, wire.Ref) { return o.c, o.r }

// GomegaString is what a failed expectation prints for a proxy (Gomega
// looks for this method): which remote object it stands for, not the
// connection's internals.
func (o object) GomegaString() string { return fmt.Sprintf("remote object #%d", o.r.ID) }

func (o object) call(method string, args []any, out ...any) { o.c.Call(o.r, method, args, out...) }

func init() {
	wire.RegisterValue(
		vm.VAddr(0), vm.PAddr(0), vm.VPN(0), vm.PFN(0), vm.ASID(0), vm.PageSize(0),
		vm.AddrRange{}, vm.FaultKind(0), vm.ErrorCode(0), &vm.Fault{}, vm.PageState(0),
		vm.PageInfo{}, vm.Geometry{}, vm.Heap{}, vm.Stack{}, vm.VerdictKind(0), vm.Verdict{},
		vm.CostModel{}, vm.MMUStats{}, vm.Mapping{}, vm.Walk{}, vm.Perm(0), vm.AccessKind(0),
		vm.Access{}, vm.PageID(0), []vm.PageID{}, vm.PTE(0), vm.TLBEntry{}, vm.TLBConfig{},
		vm.TLBStats{}, vm.SwitchState{}, vm.SwitchPlan{}, vm.CPUSet(0), vm.ShootdownRequest{}, vm.FlushKind(0),
		vm.CPUFlush{}, []vm.CPUFlush{}, vm.ShootdownPlan{}, []vm.VAddr{}, vm.Backing(0), vm.Role(0), vm.VMA{}, []vm.VMA{},
		[]uint64{}, []int{}, []bool{}, []string{},
		vm.LinuxVMA{}, []vm.LinuxVMA{}, vm.RegionKind(0), vm.TouchReport{}, vm.DropReport{},
		vm.FaultReport{}, vm.FileMapReport{}, vm.HugeReport{},
	)
	wire.RegisterSentinel(vm.ErrInvalidConfig, vm.ErrNotAligned, vm.ErrOutOfRange, vm.ErrAlreadyMapped,
		vm.ErrNotMapped, vm.ErrOutOfMemory, vm.ErrInvalidFrame, vm.ErrBadPermission, vm.ErrNotPresent,
		vm.ErrProtection, vm.ErrNonCanonical, vm.ErrReservedBit, vm.ErrNoPageTable, vm.ErrRefill)
	wire.RegisterErrorType[*vm.Fault]()

	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.PhysMem { return &PhysMem{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.FrameAllocator { return &FrameAllocator{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.PageTable { return &PageTable{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) *PageTable { return &PageTable{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.TLB { return &TLB{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) *TLB { return &TLB{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.MMU { return &MMU{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) *MMU { return &MMU{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.Policy { return &Policy{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) *Policy { return &Policy{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.FaultHandler { return &FaultHandler{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) *FaultHandler { return &FaultHandler{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.FaultContext { return &FaultContext{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) vm.VMASet { return &VMASet{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) *VMASet { return &VMASet{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) *Buddy { return &Buddy{object{c, r}} })
	wire.RegisterProxy(func(c *wire.Conn, r wire.Ref) *Inverted { return &Inverted{object{c, r}} })
}

// PhysMem is a remote vm.PhysMem.
type PhysMem struct{ object }

func (m *PhysMem) Size() (n uint64)                       { m.call("Size", nil, &n); return }
func (m *PhysMem) FrameSize() (s vm.PageSize)             { m.call("FrameSize", nil, &s); return }
func (m *PhysMem) Read(pa vm.PAddr, p []byte) (err error) { m.call("Read", []any{pa, p}, &err); return }
func (m *PhysMem) Write(pa vm.PAddr, p []byte) (err error) {
	m.call("Write", []any{pa, p}, &err)
	return
}
func (m *PhysMem) ReadUint32(pa vm.PAddr) (v uint32, err error) {
	m.call("ReadUint32", []any{pa}, &v, &err)
	return
}
func (m *PhysMem) WriteUint32(pa vm.PAddr, v uint32) (err error) {
	m.call("WriteUint32", []any{pa, v}, &err)
	return
}
func (m *PhysMem) ReadUint64(pa vm.PAddr) (v uint64, err error) {
	m.call("ReadUint64", []any{pa}, &v, &err)
	return
}
func (m *PhysMem) WriteUint64(pa vm.PAddr, v uint64) (err error) {
	m.call("WriteUint64", []any{pa, v}, &err)
	return
}

// FrameAllocator is a remote vm.FrameAllocator.
type FrameAllocator struct{ object }

func (a *FrameAllocator) Alloc() (pfn vm.PFN, err error) { a.call("Alloc", nil, &pfn, &err); return }
func (a *FrameAllocator) Free(pfn vm.PFN) (err error)    { a.call("Free", []any{pfn}, &err); return }
func (a *FrameAllocator) FreeFrames() (n int)            { a.call("FreeFrames", nil, &n); return }

// PageTable is a remote vm.PageTable.
type PageTable struct{ object }

func (t *PageTable) Map(m vm.Mapping) (err error) { t.call("Map", []any{m}, &err); return }
func (t *PageTable) Unmap(va vm.VAddr) (m vm.Mapping, err error) {
	t.call("Unmap", []any{va}, &m, &err)
	return
}
func (t *PageTable) Protect(va vm.VAddr, perm vm.Perm) (err error) {
	t.call("Protect", []any{va, perm}, &err)
	return
}
func (t *PageTable) Walk(va vm.VAddr) (w vm.Walk, err error) {
	t.call("Walk", []any{va}, &w, &err)
	return
}
func (t *PageTable) MarkAccessed(va vm.VAddr, write bool) (err error) {
	t.call("MarkAccessed", []any{va, write}, &err)
	return
}
func (t *PageTable) Root() (pa vm.PAddr) { t.call("Root", nil, &pa); return }

// TLB is a remote vm.TLB.
type TLB struct{ object }

func (t *TLB) Lookup(asid vm.ASID, va vm.VAddr) (e vm.TLBEntry, ok bool) {
	t.call("Lookup", []any{asid, va}, &e, &ok)
	return
}
func (t *TLB) Peek(asid vm.ASID, va vm.VAddr) (e vm.TLBEntry, ok bool) {
	t.call("Peek", []any{asid, va}, &e, &ok)
	return
}
func (t *TLB) Insert(e vm.TLBEntry) (err error)    { t.call("Insert", []any{e}, &err); return }
func (t *TLB) FlushAll()                           { t.call("FlushAll", nil) }
func (t *TLB) FlushNonGlobal()                     { t.call("FlushNonGlobal", nil) }
func (t *TLB) FlushASID(asid vm.ASID)              { t.call("FlushASID", []any{asid}) }
func (t *TLB) FlushPage(asid vm.ASID, va vm.VAddr) { t.call("FlushPage", []any{asid, va}) }
func (t *TLB) Len() (n int)                        { t.call("Len", nil, &n); return }
func (t *TLB) Stats() (s vm.TLBStats)              { t.call("Stats", nil, &s); return }

// MMU is a remote vm.MMU.
type MMU struct{ object }

func (m *MMU) LoadCR3(root vm.PageTable, pcid vm.ASID, noFlush bool) {
	m.call("LoadCR3", []any{root, pcid, noFlush})
}
func (m *MMU) SetPCID(enabled bool) { m.call("SetPCID", []any{enabled}) }
func (m *MMU) Translate(va vm.VAddr, a vm.Access) (pa vm.PAddr, err error) {
	m.call("Translate", []any{va, a}, &pa, &err)
	return
}
func (m *MMU) Load(va vm.VAddr, p []byte, user bool) (err error) {
	m.call("Load", []any{va, p, user}, &err)
	return
}
func (m *MMU) Store(va vm.VAddr, p []byte, user bool) (err error) {
	m.call("Store", []any{va, p, user}, &err)
	return
}
func (m *MMU) Stats() (s vm.MMUStats) { m.call("Stats", nil, &s); return }

// Policy is a remote vm.Policy.
type Policy struct{ object }

func (p *Policy) Name() (s string)                { p.call("Name", nil, &s); return }
func (p *Policy) Frames() (n int)                 { p.call("Frames", nil, &n); return }
func (p *Policy) Len() (n int)                    { p.call("Len", nil, &n); return }
func (p *Policy) Contains(id vm.PageID) (ok bool) { p.call("Contains", []any{id}, &ok); return }
func (p *Policy) Access(id vm.PageID, write bool) (hit bool, victim vm.PageID, evicted bool) {
	p.call("Access", []any{id, write}, &hit, &victim, &evicted)
	return
}
func (p *Policy) Remove(id vm.PageID) (ok bool) { p.call("Remove", []any{id}, &ok); return }
func (p *Policy) Resident(dst []vm.PageID) (got []vm.PageID) {
	p.call("Resident", []any{dst}, &got)
	return
}

// FaultHandler is a remote vm.FaultHandler.
type FaultHandler struct{ object }

func (h *FaultHandler) HandleFault(ctx vm.FaultContext, f *vm.Fault, verdict vm.Verdict) (err error) {
	h.call("HandleFault", []any{ctx, f, verdict}, &err)
	return
}

// FaultContext is a remote vm.FaultContext.
type FaultContext struct{ object }

func (x *FaultContext) GrowStack(verdict vm.Verdict) (v vm.VMA, err error) {
	x.call("GrowStack", []any{verdict}, &v, &err)
	return
}
func (x *FaultContext) Segv(f *vm.Fault, verdict vm.Verdict) (err error) {
	x.call("Segv", []any{f, verdict}, &err)
	return
}
func (x *FaultContext) Bus(f *vm.Fault, reason string) (err error) {
	x.call("Bus", []any{f, reason}, &err)
	return
}
func (x *FaultContext) Lookup(va vm.VAddr) (pi vm.PageInfo) { x.call("Lookup", []any{va}, &pi); return }
func (x *FaultContext) ZeroPage() (pfn vm.PFN)              { x.call("ZeroPage", nil, &pfn); return }
func (x *FaultContext) NewPage() (pfn vm.PFN, err error)    { x.call("NewPage", nil, &pfn, &err); return }
func (x *FaultContext) ZeroFrame(pfn vm.PFN)                { x.call("ZeroFrame", []any{pfn}) }
func (x *FaultContext) CopyFrame(dst, src vm.PFN)           { x.call("CopyFrame", []any{dst, src}) }
func (x *FaultContext) SwapIn(va vm.VAddr, pfn vm.PFN) (err error) {
	x.call("SwapIn", []any{va, pfn}, &err)
	return
}
func (x *FaultContext) FilePage(v vm.VMA, va vm.VAddr) (pfn vm.PFN, err error) {
	x.call("FilePage", []any{v, va}, &pfn, &err)
	return
}
func (x *FaultContext) MapPage(va vm.VAddr, pfn vm.PFN, perm vm.Perm) (err error) {
	x.call("MapPage", []any{va, pfn, perm}, &err)
	return
}
func (x *FaultContext) ProtectPage(va vm.VAddr, perm vm.Perm) (err error) {
	x.call("ProtectPage", []any{va, perm}, &err)
	return
}

// VMASet is a remote vm.VMASet that can also Clone itself (exercise 11).
type VMASet struct{ object }

func (s *VMASet) Map(v vm.VMA, fixed bool) (r vm.AddrRange, err error) {
	s.call("Map", []any{v, fixed}, &r, &err)
	return
}
func (s *VMASet) Unmap(r vm.AddrRange) (vs []vm.VMA, err error) {
	s.call("Unmap", []any{r}, &vs, &err)
	return
}
func (s *VMASet) Protect(r vm.AddrRange, perm vm.Perm) (vs []vm.VMA, err error) {
	s.call("Protect", []any{r, perm}, &vs, &err)
	return
}
func (s *VMASet) Find(va vm.VAddr) (v vm.VMA, ok bool) { s.call("Find", []any{va}, &v, &ok); return }
func (s *VMASet) FindNext(va vm.VAddr) (v vm.VMA, ok bool) {
	s.call("FindNext", []any{va}, &v, &ok)
	return
}
func (s *VMASet) Grow(va vm.VAddr, maxSize, guardGap uint64) (v vm.VMA, err error) {
	s.call("Grow", []any{va, maxSize, guardGap}, &v, &err)
	return
}
func (s *VMASet) Resize(start, newEnd vm.VAddr) (err error) {
	s.call("Resize", []any{start, newEnd}, &err)
	return
}

// All yields the VMAs the remote set yielded, fetched in one call.
func (s *VMASet) All() (all iter.Seq[vm.VMA]) { s.call("All", nil, &all); return }
func (s *VMASet) Len() (n int)                { s.call("Len", nil, &n); return }
func (s *VMASet) TotalBytes() (n uint64)      { s.call("TotalBytes", nil, &n); return }
func (s *VMASet) Check() (err error)          { s.call("Check", nil, &err); return }
func (s *VMASet) Clone() (c *VMASet)          { s.call("Clone", nil, &c); return }

// Buddy is a remote buddy allocator (exercise 13): a vm.FrameAllocator
// that also hands out blocks of 2^order frames.
type Buddy struct{ object }

func (b *Buddy) Alloc() (pfn vm.PFN, err error) { b.call("Alloc", nil, &pfn, &err); return }
func (b *Buddy) Free(pfn vm.PFN) (err error)    { b.call("Free", []any{pfn}, &err); return }
func (b *Buddy) FreeFrames() (n int)            { b.call("FreeFrames", nil, &n); return }
func (b *Buddy) Frames() (n int)                { b.call("Frames", nil, &n); return }
func (b *Buddy) MaxOrder() (k int)              { b.call("MaxOrder", nil, &k); return }
func (b *Buddy) FreeBlocks(order int) (n int)   { b.call("FreeBlocks", []any{order}, &n); return }
func (b *Buddy) AllocOrder(order int) (pfn vm.PFN, err error) {
	b.call("AllocOrder", []any{order}, &pfn, &err)
	return
}
func (b *Buddy) FreeOrder(pfn vm.PFN, order int) (err error) {
	b.call("FreeOrder", []any{pfn, order}, &err)
	return
}

// Inverted is a remote inverted page table (exercise 14): one table for the
// whole machine, whose Space views are remote vm.PageTables.
type Inverted struct{ object }

func (t *Inverted) Root() (pa vm.PAddr)    { t.call("Root", nil, &pa); return }
func (t *Inverted) Frames() (n int)        { t.call("Frames", nil, &n); return }
func (t *Inverted) Len() (n int)           { t.call("Len", nil, &n); return }
func (t *Inverted) TableBytes() (n uint64) { t.call("TableBytes", nil, &n); return }
func (t *Inverted) Probes(asid vm.ASID, va vm.VAddr) (n int) {
	t.call("Probes", []any{asid, va}, &n)
	return
}
func (t *Inverted) Space(asid vm.ASID) (pt vm.PageTable) { t.call("Space", []any{asid}, &pt); return }
