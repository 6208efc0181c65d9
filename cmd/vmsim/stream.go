package main

import (
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
	"github.com/vmkata/vmkata/vm"
)

// batchLen is how many references a batch carries from the reading goroutine
// to the simulating one: enough that handing one over costs nothing next to
// simulating it, small enough to stay in the L2 cache.
const batchLen = 8 << 10

// batch is references read, and the error that ended the trace, if any.
type batch struct {
	refs []replace.Ref
	err  error
}

// simulate replays r through p, parsing on one goroutine and simulating on
// this one, so that on two cores a trace costs the slower of the two rather
// than their sum. Three batches circulate between them: nothing is
// allocated per reference. It returns the counts so far with a read error.
func simulate(p vm.Policy, r *trace.Reader) (replace.Result, error) {
	const inFlight = 3
	full := make(chan *batch, inFlight)
	free := make(chan *batch, inFlight)
	done := make(chan struct{})
	defer close(done)
	for range inFlight {
		free <- &batch{refs: make([]replace.Ref, batchLen)}
	}
	go func() {
		defer close(full)
		for {
			var b *batch
			select {
			case b = <-free:
			case <-done:
				return
			}
			n, err := r.Read(b.refs[:batchLen])
			b.refs, b.err = b.refs[:n], err
			full <- b
			if n == 0 || err != nil {
				return
			}
		}
	}()
	res := replace.Result{Policy: p.Name(), Frames: p.Frames()}
	for b := range full {
		var hits, evictions uint64
		for _, ref := range b.refs {
			hit, _, evicted := p.Access(ref.Page, ref.Write)
			if hit {
				hits++
			}
			if evicted {
				evictions++
			}
		}
		n := uint64(len(b.refs))
		res.Accesses += n
		res.Hits += hits
		res.Faults += n - hits
		res.Evictions += evictions
		if b.err != nil {
			return res, b.err
		}
		free <- b
	}
	return res, nil
}
