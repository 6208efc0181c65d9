package kernel

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/ctxswitch"
	"github.com/vmkata/vmkata/reference/faulthandler"
	"github.com/vmkata/vmkata/reference/heapstack"
	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/shootdown"
	"github.com/vmkata/vmkata/reference/vma"
	"github.com/vmkata/vmkata/vm"
)

// OvercommitMode is Linux's vm.overcommit_memory: how much private writable
// memory mmap, brk and fork may promise beyond what RAM and swap can hold.
type OvercommitMode uint8

// Overcommit modes.
const (
	// OvercommitHeuristic (0, Linux's default) refuses only a single request
	// larger than all user frames plus all swap slots.
	OvercommitHeuristic OvercommitMode = iota
	// OvercommitAlways (1) never refuses: memory runs out at fault time, and
	// the OOM killer deals with it.
	OvercommitAlways
	// OvercommitNever (2) keeps a commit charge: the pages of every private
	// writable mapping count, and a request that would push the charge past
	// frames+swap slots fails with ErrNoMemory (ENOMEM).
	OvercommitNever
)

// String prints heuristic, always or never.
func (m OvercommitMode) String() string {
	switch m {
	case OvercommitHeuristic:
		return "heuristic"
	case OvercommitAlways:
		return "always"
	case OvercommitNever:
		return "never"
	}
	return fmt.Sprintf("overcommit(%d)", uint8(m))
}

// Config is what a Kernel is built from. The zero value of every field but
// Frames has a documented default.
type Config struct {
	// Geometry is the paging geometry; default vm.X86_64.
	Geometry vm.Geometry
	// Frames is the number of frames of pageable memory: the frames user
	// pages (anonymous and page-cache pages) live in, which the replacement
	// policy manages. Required, at least 1.
	Frames int
	// FrameAllocator hands out the pageable frames, numbered 0 … Frames-1
	// (frame n is physical frame 1+TableFrames+n); default a phys.FreeList
	// of Frames frames. A learner's buddy allocator takes its place
	// (exercise 13). The kernel uses it only through vm.FrameAllocator, one
	// frame at a time; the frames it has free at New are the kernel's
	// pageable memory (the replacement policy's capacity): a block taken
	// before, such as the 512 frames kept for a 2 MiB huge page, is not.
	// A frame Alloc returns that is out of range or already in use fails
	// the fault with an error wrapping vm.ErrInvalidFrame.
	FrameAllocator vm.FrameAllocator
	// TableFrames is the number of frames set aside for page-table pages
	// (kernel memory, never paged out). Default 64 + 8*Frames/512.
	TableFrames int
	// SwapSlots is the number of page-sized slots in the swap area; 0 means
	// no swap (dirty anonymous pages can then never be evicted).
	SwapSlots int
	// TLB sizes each CPU's TLB; default 64 entries, 4-way.
	TLB vm.TLBConfig
	// NewTLB builds one CPU's TLB from TLB, called once per CPU (no two
	// CPUs may share one); default reference/tlb.New. A learner's TLB takes
	// its place (exercise 04): the kernel uses it only through vm.TLB.
	// Check compares its entries with the page tables: all of them when
	// the TLB lists them (an Entries() []vm.TLBEntry method, as the
	// reference's has), else those Peek finds for every present mapping.
	NewTLB func(cfg vm.TLBConfig) (vm.TLB, error)
	// NewMMU builds one CPU's MMU over that CPU's TLB (from NewTLB) and
	// the kernel's physical memory, in Geometry; default reference/mmu.New.
	// A learner's MMU takes its place (exercise 05): every user access
	// goes through vm.MMU's Translate, context switches through LoadCR3.
	NewMMU func(cfg vm.MMUConfig) (vm.MMU, error)
	// NewPageTable builds the empty page table of each new process (spawn,
	// fork), its table pages taken from frames (the kernel's page-table
	// pool); default reference/pagetable.NewRadix. A learner's radix table
	// takes its place (exercise 03): the kernel maps, unmaps, protects and
	// walks through vm.PageTable, lists the mappings by reading the tree
	// from memory (the format the MMU walks) and, when the process goes,
	// takes back every frame the table still holds.
	NewPageTable func(g vm.Geometry, mem vm.PhysMem, frames vm.FrameAllocator) (vm.PageTable, error)
	// CPUs is the number of CPUs, each with its own MMU and TLB; default 1.
	CPUs int
	// PCID enables process-context identifiers: a context switch keeps the
	// TLB entries of other processes instead of flushing them.
	PCID bool
	// Policy names the replacement policy (see replace.Names); default
	// "clock". PolicyOptions tunes it. "opt" is refused: it needs the future.
	Policy        string
	PolicyOptions replace.Options
	// NewPolicy builds the policy Policy names over the pageable frames;
	// default replace.New with PolicyOptions. A learner's policy takes its
	// place (exercises 06-08 and 18); the kernel lends it the PTE bits when
	// it implements vm.RefBitsUser.
	NewPolicy func(name string, frames int) (vm.Policy, error)
	// StackLimit is RLIMIT_STACK in bytes: how far below its top a stack VMA
	// may grow; default 8 MiB.
	StackLimit uint64
	// GuardGap is the gap in bytes a growing stack keeps to the VMA below it
	// (Linux's stack_guard_gap); default 256 pages.
	GuardGap uint64
	// Overcommit is the overcommit mode; default OvercommitHeuristic.
	Overcommit OvercommitMode
	// Files is the initial in-memory file system: name -> contents. The
	// kernel copies the slices.
	Files map[string][]byte
	// Observer, if set, receives every Event as it happens.
	Observer func(Event)
	// FaultHandler handles page faults through the vm.FaultHandler seam;
	// default faulthandler.New(), the reference handler. A learner's handler
	// takes its place (exercises 09 and 10): the kernel's services keep the
	// books, so counters and events are the same whoever decides.
	FaultHandler vm.FaultHandler
	// NewVMASet builds the VMA set of each new process (exec, fork); default
	// reference/vma.NewSet. A learner's set takes its place (exercise 11):
	// the kernel uses it only through the vm.VMASet contract, and fork
	// copies it by mapping every VMA of the parent's All() into a new set
	// with fixed set.
	NewVMASet func(pageSize vm.PageSize, limit vm.AddrRange) (vm.VMASet, error)
	// Brk decides brk(2) on a process's VMA set; default
	// reference/heapstack.Brk. A learner's takes its place (exercise 12);
	// the kernel adds the commit charge and drops the released pages.
	Brk func(s vm.VMASet, ps vm.PageSize, h vm.Heap, req vm.VAddr) (vm.Heap, vm.AddrRange, error)
	// ClassifyFault is step 1 of the page-fault handler (is the address
	// valid, may the stack grow to it; see vm.FaultHandler), decided once
	// per fault and handed to FaultHandler as its verdict; default
	// reference/heapstack.ClassifyFault (exercise 12 plugs its own).
	ClassifyFault func(s vm.VMASet, ps vm.PageSize, va vm.VAddr, a vm.Access, st vm.Stack) vm.Verdict
	// Switcher decides the CR3 load of every context switch (see
	// vm.SwitchState); default reference/ctxswitch.Switch. A learner's
	// takes its place (exercise 16): the kernel carries the plan out on the
	// CPU's MMU, so a wrong PCID or a missing flush shows as TLB hits on
	// stale translations, which Check reports.
	Switcher func(s vm.SwitchState) (vm.SwitchPlan, error)
	// Shootdown decides, for every change to an address space's
	// translations, which CPUs flush which entries, now or at their next
	// switch-in (see vm.ShootdownRequest); default
	// reference/shootdown.Shootdown. A learner's takes its place (exercise
	// 17): the kernel asks once per operation and address space and carries
	// the plan out, so a missing flush shows as a stale TLB entry a CPU may
	// use, which Check reports, and a needless one as an IPI more.
	Shootdown func(r vm.ShootdownRequest) (vm.ShootdownPlan, error)
}

// Kernel is the reference memory manager: physical memory, processes and
// their address spaces, the page-fault handler, swap, the page cache, the
// OOM killer and several CPUs with their own TLBs. Build it with New.
//
// A Kernel is not safe for concurrent use; it models the CPUs' concurrency
// by running one step at a time (on the CPU named by Event.CPU).
type Kernel struct {
	cfg      Config
	geo      vm.Geometry
	pageSize uint64
	mem      *phys.Memory
	refs     *phys.RefCounts   // per frame: PTEs (and hidden PROT_NONE entries) mapping it, plus 1 for a page-cache page and for the zero page
	frames   []frame           // per frame descriptor (Linux's struct page), indexed by PFN
	userBase vm.PFN            // first user frame; frames [1, userBase) hold page tables
	user     vm.FrameAllocator // user frames, numbered from 0 (PFN = userBase + n)
	pageable int               // user frames free at New: the policy's capacity
	tables   *tableAllocator   // page-table frames
	policy   vm.Policy         // chooses victims among resident user pages (by PageID)
	byID     map[vm.PageID]vm.PFN
	// loaded is the page the current fault brought in, which the policy
	// was told of as it got its frame; the restarted access that follows
	// is that same reference, not a second one. Valid while hasLoaded.
	loaded    vm.PageID
	hasLoaded bool
	nextID    vm.PageID // next anonymous page identity

	swap     *swapArea
	cache    map[cacheKey]vm.PFN // the page cache: (file, page index) -> frame
	files    map[string]*File
	shmem    map[string]*File // unnamed files of MAP_SHARED|MAP_ANONYMOUS mappings, by their VMA's File
	nextFile int

	cpus []*cpu
	cpu  int // the CPU the current step runs on
	// batching counts the open batches (batch, endBatch); gathered holds
	// their invalidations, one flush per address space, until the
	// outermost closes. shootErrs are the Shootdown errors and bad plans
	// met so far, which Check reports.
	batching  int
	gathered  []flush
	shootErrs []error

	procs   map[int]*Process
	dead    map[int]error // why each exited or killed pid is gone
	nextPid int
	asids   []bool // PCIDs in use (index = PCID, 0..vm.MaxPCID); PCID 0 is never given out

	committed uint64 // pages of commit charge (OvercommitNever)
	observer  func(Event)
	seq       uint64
	stats     Stats
}

// zeroPFN is the frame of the shared zero page (Linux's empty_zero_page):
// frame 0, cleared once and never written.
const zeroPFN vm.PFN = 0

// New builds a kernel from cfg: physical memory of 1 + TableFrames + Frames
// frames (the zero page, the page-table pool, the pageable frames), the swap
// area, the replacement policy (lent the PTE bits through vm.RefBits when it
// reads them) and the CPUs, with no process. Errors wrap vm.ErrInvalidConfig
// and say which field was wrong.
func New(cfg Config) (*Kernel, error) {
	bad := func(format string, args ...any) (*Kernel, error) {
		return nil, fmt.Errorf("kernel: "+format+": %w", append(args, vm.ErrInvalidConfig)...)
	}
	if cfg.Geometry.Levels == 0 {
		cfg.Geometry = vm.X86_64
	}
	if cfg.Frames < 1 {
		return bad("%d frames of pageable memory, want at least 1", cfg.Frames)
	}
	if cfg.TableFrames == 0 {
		cfg.TableFrames = 64 + 8*cfg.Frames/512
	}
	if cfg.TableFrames < 1 {
		return bad("%d page-table frames, want at least 1", cfg.TableFrames)
	}
	if cfg.SwapSlots < 0 {
		return bad("%d swap slots, want 0 or more", cfg.SwapSlots)
	}
	if cfg.TLB == (vm.TLBConfig{}) {
		cfg.TLB = vm.TLBConfig{Entries: 64, Ways: 4}
	}
	if cfg.CPUs == 0 {
		cfg.CPUs = 1
	}
	if cfg.CPUs < 1 || cfg.CPUs > 64 {
		return bad("%d CPUs, want 1..64", cfg.CPUs)
	}
	if cfg.Policy == "" {
		cfg.Policy = "clock"
	}
	if !replace.Online(cfg.Policy) {
		return bad("policy %q needs the future; a kernel can only use an online policy", cfg.Policy)
	}
	ps := uint64(cfg.Geometry.PageSize())
	if cfg.StackLimit == 0 {
		cfg.StackLimit = 8 << 20
	}
	if cfg.GuardGap == 0 {
		cfg.GuardGap = 256 * ps
	}
	if cfg.StackLimit%ps != 0 || cfg.GuardGap%ps != 0 {
		return bad("stack limit %#x and guard gap %#x must be multiples of the %d-byte page", cfg.StackLimit, cfg.GuardGap, ps)
	}
	if cfg.FaultHandler == nil {
		cfg.FaultHandler = faulthandler.New()
	}
	if cfg.NewVMASet == nil {
		cfg.NewVMASet = func(ps vm.PageSize, limit vm.AddrRange) (vm.VMASet, error) { return vma.NewSet(ps, limit) }
	}
	if cfg.Brk == nil {
		cfg.Brk = heapstack.Brk
	}
	if cfg.ClassifyFault == nil {
		cfg.ClassifyFault = heapstack.ClassifyFault
	}
	if cfg.Switcher == nil {
		cfg.Switcher = ctxswitch.Switch
	}
	if cfg.Shootdown == nil {
		cfg.Shootdown = shootdown.Shootdown
	}
	defaultParts(&cfg)
	if cfg.Overcommit > OvercommitNever {
		return bad("overcommit mode %d, want 0, 1 or 2", cfg.Overcommit)
	}
	total := 1 + cfg.TableFrames + cfg.Frames
	mem, err := phys.NewMemory(total, cfg.Geometry.PageSize())
	if err != nil {
		return nil, fmt.Errorf("kernel: physical memory: %w", err)
	}
	refs, err := phys.NewRefCounts(total)
	if err != nil {
		return nil, fmt.Errorf("kernel: reference counts: %w", err)
	}
	if cfg.FrameAllocator == nil {
		l, err := phys.NewFreeList(cfg.Frames)
		if err != nil {
			return nil, fmt.Errorf("kernel: user frames: %w", err)
		}
		cfg.FrameAllocator = l
	}
	pageable := cfg.FrameAllocator.FreeFrames()
	if pageable < 1 || pageable > cfg.Frames {
		return bad("the frame allocator has %d free frames, want 1..%d (Frames)", pageable, cfg.Frames)
	}
	tables, err := newTableAllocator(1, cfg.TableFrames)
	if err != nil {
		return nil, err
	}
	policy, err := cfg.NewPolicy(cfg.Policy, pageable)
	if err == nil && policy == nil {
		err = fmt.Errorf("no policy and no error: %w", vm.ErrInvalidConfig)
	}
	if err != nil {
		return nil, fmt.Errorf("kernel: replacement policy: %w", err)
	}
	swap, err := newSwapArea(cfg.SwapSlots, ps)
	if err != nil {
		return nil, err
	}
	k := &Kernel{
		cfg: cfg, geo: cfg.Geometry, pageSize: ps, mem: mem, refs: refs,
		frames:   make([]frame, total),
		userBase: vm.PFN(1 + cfg.TableFrames),
		user:     cfg.FrameAllocator, pageable: pageable, tables: tables, policy: policy,
		byID:    make(map[vm.PageID]vm.PFN),
		nextID:  1,
		swap:    swap,
		cache:   make(map[cacheKey]vm.PFN),
		files:   make(map[string]*File),
		shmem:   make(map[string]*File),
		dead:    make(map[int]error),
		procs:   make(map[int]*Process),
		asids:   make([]bool, vm.MaxPCID+1),
		nextPid: 1, observer: cfg.Observer,
	}
	k.asids[0] = true
	// The zero page: one reference held by the kernel, never freed.
	k.frames[zeroPFN].kind = pageZero
	if _, err := k.refs.Inc(zeroPFN); err != nil {
		return nil, err
	}
	if u, ok := policy.(vm.RefBitsUser); ok {
		u.SetRefBits(refBits{k})
	}
	for name, data := range cfg.Files {
		k.WriteFile(name, data)
	}
	if err := k.newCPUs(); err != nil {
		return nil, err
	}
	return k, nil
}

// Config returns the configuration, with defaults filled in.
func (k *Kernel) Config() Config { return k.cfg }

// PageSize returns the base page size.
func (k *Kernel) PageSize() uint64 { return k.pageSize }

// Stats returns the counters.
func (k *Kernel) Stats() Stats {
	s := k.stats
	s.FreeFrames = k.user.FreeFrames()
	s.SwapUsed = k.swap.used()
	s.Processes = len(k.procs)
	return s
}

// Memory returns physical memory, for inspection (tools that print a frame,
// tests). Writing to it behind the kernel's back breaks its invariants.
func (k *Kernel) Memory() *phys.Memory { return k.mem }

// pageAlign rounds va down to its page.
func (k *Kernel) pageAlign(va vm.VAddr) vm.VAddr { return va &^ vm.VAddr(k.pageSize-1) }
