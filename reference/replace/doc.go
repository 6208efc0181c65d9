// Package replace is the reference page-replacement library: the policies a
// kernel consults when memory is full and a page must go, and a simulator
// that replays reference strings through them.
//
// Every policy implements vm.Policy. A kernel's fault handler and the
// simulator drive it the same way: Access(page, write) on each reference the
// policy is told of; on a miss with memory full the policy names a victim,
// removes it and loads the new page. Policies that read hardware bits
// (clock, second chance, enhanced clock, aging, WSClock) keep R and D bits
// themselves in simulation (R set on every Access, D on every write) or read
// a kernel's PTE bits through vm.RefBits (see vm.RefBitsUser).
//
// The usage idiom:
//
//	res, err := replace.Simulate("lru", 3, replace.Reads(7, 0, 1, 2, 0, 3), replace.Options{}, nil)
//	// res.Faults, res.FaultRate()
//
//	p, err := replace.New("clock", 64, replace.Options{})
//	hit, victim, evicted := p.Access(page, write) // in a fault handler
//
// Policies (the doc comment of each type states its exact semantics, which the
// replacement specs grade against):
//
//	name            type            victim on a fault with memory full                         cost per access
//	fifo            FIFO            the page loaded earliest (Belady's anomaly)                 O(1)
//	opt             OPT             the page used farthest in the future; never-used-again     O(log n)
//	                                pages first, least recently used among them
//	lru             LRU             the least recently used page                               O(1)
//	clock           Clock           first page with R=0 from the hand, clearing R on the way   O(1) amortized
//	second-chance   SecondChance    FIFO, but a page with R=1 is cleared and requeued          O(1) amortized
//	enhanced-clock  EnhancedClock   first page of the lowest (R,D) class from the hand         O(n) worst
//	lfu             LFU             the lowest reference count; least recently used on ties    O(1)
//	mfu             MFU             the highest reference count; least recently used on ties   O(1)
//	aging           Aging           the lowest 8-bit aging counter (shift-register NFU)        O(n) per fault
//	random          Random          a uniformly random resident page (seeded PCG)              O(1)
//	ws              WorkingSet      pages outside the window τ leave on their own; when full,  O(1)
//	                                the least recently used page
//	wsclock         WSClock         first old (age > τ) clean page from the hand               O(n) worst per fault
//	2q, linux, arc, clock-pro, sieve, s3-fifo: the modern policies, each in its own file.
//
// Shared conventions:
//
//   - Frames: a policy holds at most Frames pages, in frames numbered 0 to
//     Frames-1. A new page goes into the lowest-numbered free frame; once
//     memory is full, it goes into its victim's frame.
//   - Reference bits: a newly loaded page has R=1, because the access that
//     faulted it in referenced it (the MMU sets A when the instruction is
//     restarted), as in OSTEP and Silberschatz. A write sets D.
//   - Clock hands start at frame 0 and move only while looking for a victim;
//     after an eviction the hand points just past the victim's frame.
//   - Determinism: the same calls give the same answers; random is seeded.
//
// New's enhanced-clock, aging and wsclock read R and D bits wherever a
// kernel keeps them, so they walk the frames: O(n) per fault. NewFast builds
// the same policies for simulation, where the policy keeps the bits itself:
// the same victims in amortized O(log n) per access; and versions of opt,
// ws, lfu and mfu laid out for fewer cache misses (fast.go and the fast*.go
// files; fast_test.go holds the readable versions to them).
//
// Simulate replays a whole trace (every policy, opt included); Run streams
// one through an online policy; FaultCurve gives faults against frames, the
// plot where Belady's anomaly shows. New builds a policy by name; Names lists
// them. Access allocates nothing once memory is full.
package replace
