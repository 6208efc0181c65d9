package replace

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vmkata/vmkata/vm"
)

// Options tune the policies that take a parameter. The zero value gives every
// policy its documented default; a policy ignores the fields it does not use.
type Options struct {
	// Seed seeds the random policy's generator (math/rand/v2 PCG); the same
	// seed gives the same victims.
	Seed uint64
	// Window is the working-set window τ, in accesses, for ws and wsclock.
	// 0 means 2 × frames.
	Window int
	// AgingTick is the aging policy's clock-tick period, in accesses: every
	// AgingTick accesses each counter shifts right and takes the R bit in
	// its top bit. 0 means frames (one tick per frames accesses).
	AgingTick int
	// DecayEvery makes lfu and mfu halve every count after each DecayEvery
	// accesses, so that old popularity fades. 0 means never.
	DecayEvery int
	// Future is the reference string opt plans with: the page of each
	// Access, in order. Simulate fills it from the trace when it is nil.
	Future []vm.PageID
	// NextUse, if not nil, is opt's next-use table for Future, as a trace
	// that records next accesses gives it (see NewOPTWithNextUse); opt
	// computes it when nil.
	NextUse []int32
	// Small is the fraction of frames a segmented policy gives to its
	// probationary part (2Q's A1in, S3-FIFO's small queue, the inactive-list
	// target of linux, clock-pro's initial cold target). 0 means the policy's
	// default.
	Small float64
	// Ghost is the size of a policy's history of evicted pages (2Q's A1out,
	// S3-FIFO's ghost queue) as a fraction of frames. 0 means the policy's
	// default.
	Ghost float64
}

// Constructor builds a policy managing frames frames. New has already checked
// frames >= 1 and the fields of Options every policy shares.
type Constructor func(frames int, opts Options) (vm.Policy, error)

// names lists every policy, classic first, in the order Names reports them.
var names = []string{
	"fifo", "opt", "lru", "clock", "second-chance", "enhanced-clock",
	"lfu", "mfu", "aging", "random", "ws", "wsclock",
	"2q", "linux", "arc", "clock-pro", "sieve", "s3-fifo",
}

var constructors = map[string]Constructor{}

// register makes name constructible by New. Each policy's file calls it from
// an init function. It panics on a name missing from names or registered
// twice: both are mistakes in this package, not bad input.
func register(name string, c Constructor) {
	if !slices.Contains(names, name) {
		panic(fmt.Sprintf("replace: register(%q): not a name in Names()", name))
	}
	if _, dup := constructors[name]; dup {
		panic(fmt.Sprintf("replace: register(%q): registered twice", name))
	}
	constructors[name] = c
}

// Names returns the name of every policy, in a fixed order: fifo, opt, lru,
// clock, second-chance, enhanced-clock, lfu, mfu, aging, random, ws, wsclock,
// then the modern ones 2q, linux, arc, clock-pro, sieve, s3-fifo. The caller
// owns the returned slice.
func Names() []string { return slices.Clone(names) }

// Online reports whether the named policy decides from the past alone, so
// that Run can stream a trace through it. Only opt needs the future.
func Online(name string) bool { return name != "opt" }

// New returns the policy called name, managing frames frames.
//
// It returns an error wrapping vm.ErrInvalidConfig when frames < 1 or an
// option is negative, and an error listing the known names when name is not
// one of them.
func New(name string, frames int, opts Options) (vm.Policy, error) {
	c, ok := constructors[name]
	if !ok {
		if slices.Contains(names, name) {
			return nil, fmt.Errorf("replace: policy %q is not available in this build: %w", name, vm.ErrInvalidConfig)
		}
		return nil, fmt.Errorf("replace: unknown policy %q (known: %s): %w", name, strings.Join(names, ", "), vm.ErrInvalidConfig)
	}
	if err := checkOptions(name, frames, opts); err != nil {
		return nil, err
	}
	return c(frames, opts)
}

// checkOptions is New's validation of the frames and of the options every
// policy shares.
func checkOptions(name string, frames int, opts Options) error {
	if err := checkFrames(name, frames); err != nil {
		return err
	}
	switch {
	case opts.Window < 0:
		return fmt.Errorf("replace: %s: window %d is negative: %w", name, opts.Window, vm.ErrInvalidConfig)
	case opts.AgingTick < 0:
		return fmt.Errorf("replace: %s: aging tick %d is negative: %w", name, opts.AgingTick, vm.ErrInvalidConfig)
	case opts.DecayEvery < 0:
		return fmt.Errorf("replace: %s: decay period %d is negative: %w", name, opts.DecayEvery, vm.ErrInvalidConfig)
	case opts.Small < 0 || opts.Small >= 1:
		return fmt.Errorf("replace: %s: small fraction %v is outside [0, 1): %w", name, opts.Small, vm.ErrInvalidConfig)
	case opts.Ghost < 0:
		return fmt.Errorf("replace: %s: ghost fraction %v is negative: %w", name, opts.Ghost, vm.ErrInvalidConfig)
	}
	return nil
}

// checkFrames is the constructors' common validation: a policy needs at
// least one frame.
func checkFrames(name string, frames int) error {
	if frames < 1 {
		return fmt.Errorf("replace: %s with %d frames: need at least 1: %w", name, frames, vm.ErrInvalidConfig)
	}
	return nil
}
