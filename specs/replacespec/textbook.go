package replacespec

import (
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

// textbookCase is a worked example: a reference string, the frames, the
// faults it must cost and the victims in order (nil: do not check victims).
type textbookCase struct {
	what    string
	frames  int
	opts    replace.Options
	refs    []replace.Ref
	faults  uint64
	victims []vm.PageID
}

var (
	// Silberschatz, Operating System Concepts, ch. 10.
	silberschatz = replace.Reads(7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1)
	// Belady, Nelson and Shedler (1969).
	belady = replace.Reads(1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5)
)

func wr(p vm.PageID) replace.Ref { return replace.Ref{Page: p, Write: true} }
func rd(p vm.PageID) replace.Ref { return replace.Ref{Page: p} }

// textbook holds each policy's worked examples, as its doc comment in
// reference/replace explains them.
var textbook = map[string][]textbookCase{
	"fifo": {
		{what: "Silberschatz's string", frames: 3, refs: silberschatz, faults: 15,
			victims: []vm.PageID{7, 0, 1, 2, 3, 0, 4, 2, 3, 0, 1, 2}},
		{what: "Belady's string, 3 frames", frames: 3, refs: belady, faults: 9,
			victims: []vm.PageID{1, 2, 3, 4, 1, 2}},
		{what: "Belady's string, 4 frames: more frames, more faults", frames: 4, refs: belady, faults: 10,
			victims: []vm.PageID{1, 2, 3, 4, 5, 1}},
		{what: "a hit does not refresh", frames: 2, refs: replace.Reads(1, 2, 1, 3), faults: 3,
			victims: []vm.PageID{1}},
	},
	"lru": {
		{what: "Silberschatz's string", frames: 3, refs: silberschatz, faults: 12,
			victims: []vm.PageID{7, 1, 2, 3, 0, 4, 0, 3, 2}},
		{what: "Belady's string, 3 frames", frames: 3, refs: belady, faults: 10},
		{what: "Belady's string, 4 frames: no anomaly", frames: 4, refs: belady, faults: 8},
		{what: "a hit refreshes", frames: 2, refs: replace.Reads(1, 2, 1, 3), faults: 3,
			victims: []vm.PageID{2}},
	},
	"opt": {
		{what: "Silberschatz's string", frames: 3, refs: silberschatz, faults: 9,
			victims: []vm.PageID{7, 1, 0, 4, 3, 2}},
		{what: "Belady's string, 3 frames", frames: 3, refs: belady, faults: 7},
		{what: "Belady's string, 4 frames", frames: 4, refs: belady, faults: 6},
		{what: "never used again, least recently used first", frames: 3,
			refs: replace.Reads(1, 2, 4, 5, 1, 2, 6), faults: 5, victims: []vm.PageID{4, 5}},
	},
	"clock": {
		{what: "every R set: the hand clears all and evicts frame 0", frames: 3,
			refs: replace.Reads(1, 2, 3, 2, 4, 1, 5), faults: 6, victims: []vm.PageID{1, 2, 3}},
		{what: "a hit after the sweep saves a page", frames: 3,
			refs: replace.Reads(1, 2, 3, 4, 2, 5), faults: 5, victims: []vm.PageID{1, 3}},
		{what: "Silberschatz's string", frames: 3, refs: silberschatz, faults: 14},
	},
	"second-chance": {
		{what: "every R set: FIFO order", frames: 3,
			refs: replace.Reads(1, 2, 3, 2, 4, 1, 5), faults: 6, victims: []vm.PageID{1, 2, 3}},
		{what: "a hit after the requeue saves a page", frames: 3,
			refs: replace.Reads(1, 2, 3, 4, 2, 5), faults: 5, victims: []vm.PageID{1, 3}},
		{what: "Silberschatz's string", frames: 3, refs: silberschatz, faults: 14},
	},
	"enhanced-clock": {
		{what: "a clean page goes before an older dirty one", frames: 3,
			refs: []replace.Ref{wr(1), rd(2), rd(3), rd(4), rd(5), rd(6)}, faults: 6, victims: []vm.PageID{2, 3, 1}},
		{what: "all clean: plain clock", frames: 3,
			refs: replace.Reads(1, 2, 3, 2, 4, 1, 5), faults: 6, victims: []vm.PageID{1, 2, 3}},
	},
	"lfu": {
		{what: "the smallest count goes", frames: 3,
			refs: replace.Reads(1, 2, 3, 2, 1, 4, 3), faults: 5, victims: []vm.PageID{3, 4}},
		{what: "equal counts: least recently used", frames: 3,
			refs: replace.Reads(1, 2, 3, 3, 2, 1, 4), faults: 4, victims: []vm.PageID{3}},
		{what: "a new page has count 1", frames: 3, refs: replace.Reads(1, 1, 2, 3, 4), faults: 4,
			victims: []vm.PageID{2}},
	},
	"mfu": {
		{what: "the largest count goes", frames: 3, refs: replace.Reads(1, 1, 2, 3, 4), faults: 4,
			victims: []vm.PageID{1}},
		{what: "equal counts: least recently used", frames: 3,
			refs: replace.Reads(1, 2, 3, 3, 2, 1, 4), faults: 4, victims: []vm.PageID{3}},
	},
	"aging": {
		{what: "counters after two ticks", frames: 3, opts: replace.Options{AgingTick: 2},
			refs: replace.Reads(1, 2, 1, 3, 4), faults: 4, victims: []vm.PageID{2}},
		{what: "equal counters and bits: the lowest frame", frames: 2, opts: replace.Options{AgingTick: 100},
			refs: replace.Reads(1, 2, 3, 4), faults: 4, victims: []vm.PageID{1, 3}},
		// The tick after 3 clears every R and leaves every counter at 0x80;
		// 1 is referenced again, so on the fault for 4 the counters tie and
		// the reference bit decides: 2 (R=0, lower frame than 3) goes, not 1.
		{what: "equal counters: a page referenced since the tick stays", frames: 3, opts: replace.Options{AgingTick: 3},
			refs: replace.Reads(1, 2, 3, 1, 4), faults: 4, victims: []vm.PageID{2}},
	},
}
