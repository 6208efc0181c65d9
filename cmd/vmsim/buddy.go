package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vmkata/vmkata/reference/phys"
	"github.com/vmkata/vmkata/vm"
)

var buddyCmd = command{
	name:    "buddy",
	summary: "a buddy allocator step by step: splits, merges and fragmentation",
	usage: `--frames 16 --max-order 4 --ops "alloc 0, alloc 1, free 0 0"

Runs the operations, separated by commas, on the reference buddy allocator
(exercise 13): "alloc K" takes a block of 2^K frames, "free PFN K" gives back
the block of order K at frame PFN. After each it prints the free blocks per
order, the frames (one letter per allocated block, "." per free frame, up to
128 frames) and the unusable free space index for --frag-order: the share of
free frames in blocks too small for a request of that order.`,
	setup: setupBuddy,
}

// buddyOp is one operation of --ops.
type buddyOp struct {
	free  bool
	pfn   vm.PFN
	order int
}

func (o buddyOp) String() string {
	if o.free {
		return fmt.Sprintf("free %d %d", o.pfn, o.order)
	}
	return fmt.Sprintf("alloc %d", o.order)
}

// parseBuddyOps reads "alloc K" and "free PFN K" operations separated by
// commas.
func parseBuddyOps(s string) ([]buddyOp, error) {
	var ops []buddyOp
	for i, part := range strings.Split(s, ",") {
		f := strings.Fields(part)
		bad := func(why string) ([]buddyOp, error) {
			return nil, usagef("--ops: operation %d %q: %s", i+1, strings.TrimSpace(part), why)
		}
		num := func(s string) (uint64, bool) { n, err := strconv.ParseUint(s, 0, 32); return n, err == nil }
		switch {
		case len(f) == 2 && f[0] == "alloc":
			k, ok := num(f[1])
			if !ok {
				return bad("want alloc ORDER")
			}
			ops = append(ops, buddyOp{order: int(k)})
		case len(f) == 3 && f[0] == "free":
			pfn, ok1 := num(f[1])
			k, ok2 := num(f[2])
			if !ok1 || !ok2 {
				return bad("want free PFN ORDER")
			}
			ops = append(ops, buddyOp{free: true, pfn: vm.PFN(pfn), order: int(k)})
		default:
			return bad(`want "alloc ORDER" or "free PFN ORDER"`)
		}
	}
	return ops, nil
}

func setupBuddy(fs *flag.FlagSet) func(io.Writer) error {
	frames := fs.Int("frames", 16, "number of frames")
	maxOrder := fs.Int("max-order", 4, "largest `order` (blocks of 2^order frames)")
	opsFlag := fs.String("ops", "", `operations: "alloc ORDER" or "free PFN ORDER", separated by commas`)
	fragOrder := fs.Int("frag-order", -1, "`order` of the request the fragmentation index is for; default min(9, --max-order)")
	return func(stdout io.Writer) error {
		if *opsFlag == "" {
			return usagef("--ops is required")
		}
		ops, err := parseBuddyOps(*opsFlag)
		if err != nil {
			return err
		}
		b, err := phys.NewBuddy(*frames, *maxOrder)
		if err != nil {
			return err
		}
		if *fragOrder < 0 {
			*fragOrder = min(9, *maxOrder)
		}
		if *fragOrder > *maxOrder {
			return usagef("--frag-order %d: want 0..%d (--max-order)", *fragOrder, *maxOrder)
		}
		owner := make([]int, *frames) // 0 free, else the letter number of the block
		next := 0
		show := func(what string) {
			fmt.Fprintf(stdout, "%-22s free blocks per order:", what)
			for k := 0; k <= b.MaxOrder(); k++ {
				fmt.Fprintf(stdout, " %d", b.FreeBlocks(k))
			}
			fmt.Fprintf(stdout, "  free frames %d  unusable for order %d: %s\n", b.FreeFrames(), *fragOrder, unusable(b, *fragOrder))
			if *frames <= 128 {
				var line strings.Builder
				for _, o := range owner {
					if o == 0 {
						line.WriteByte('.')
					} else {
						line.WriteByte(byte('a' + (o-1)%26))
					}
				}
				fmt.Fprintf(stdout, "%-22s %s\n", "", line.String())
			}
		}
		show(fmt.Sprintf("NewBuddy(%d, %d)", *frames, *maxOrder))
		for _, o := range ops {
			if o.free {
				if err := b.FreeOrder(o.pfn, o.order); err != nil {
					fmt.Fprintf(stdout, "%-22s refused: %v\n", o, err)
					continue
				}
				for f := int(o.pfn); f < int(o.pfn)+1<<o.order; f++ {
					owner[f] = 0
				}
				show(o.String())
				continue
			}
			pfn, err := b.AllocOrder(o.order)
			if err != nil {
				fmt.Fprintf(stdout, "%-22s refused: %v\n", o, err)
				continue
			}
			next++
			for f := int(pfn); f < int(pfn)+1<<o.order; f++ {
				owner[f] = next
			}
			show(fmt.Sprintf("%v -> %d", o, pfn))
		}
		return nil
	}
}

// unusable is Linux's unusable free space index for order k: the share of
// free frames in free blocks of order below k, which no request of order k
// can use.
func unusable(b *phys.Buddy, k int) string {
	if b.FreeFrames() == 0 {
		return "- (nothing free)"
	}
	small := 0
	for j := 0; j < k; j++ {
		small += b.FreeBlocks(j) << j
	}
	return fmt.Sprintf("%.2f", float64(small)/float64(b.FreeFrames()))
}
