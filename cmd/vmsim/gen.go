package main

import (
	"bufio"
	"flag"
	"io"
	"strconv"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/trace"
	"github.com/vmkata/vmkata/vm"
)

var genCmd = command{
	name:    "gen",
	summary: "generate a synthetic reference string, one page a line (or an oracle-general trace)",
	usage: `--kind sequential|loop|uniform|zipf|phases --n N --pages P [--alpha A] [--seed S] [--phase-len L] [--ws W] [--format refs|oracle-general]

sequential: one scan over P pages, each referenced about N/P times in a row.
loop:       0 1 … P-1 0 1 … (a loop over P pages).
uniform:    pages drawn uniformly from 0..P-1.
zipf:       page k drawn with probability ∝ 1/(k+1)^A (A >= 0; page 0 most popular).
phases:     phases of L references, each over a random working set of W pages.
The same seed gives the same string. --format oracle-general writes libCacheSim's
binary records instead (24 bytes a reference, with next-access times), which
libCacheSim's cachesim and vmsim both read.`,
	setup: setupGen,
}

func setupGen(fs *flag.FlagSet) func(io.Writer) error {
	kind := fs.String("kind", "zipf", "generator: sequential, loop, uniform, zipf or phases")
	n := fs.Int("n", 1000, "number of references")
	pages := fs.Int("pages", 100, "number of distinct pages (loop: the loop length)")
	alpha := fs.Float64("alpha", 1.0, "zipf exponent")
	seed := fs.Uint64("seed", 1, "random seed")
	phaseLen := fs.Int("phase-len", 0, "phases: references per phase (0: n/5)")
	ws := fs.Int("ws", 0, "phases: working-set size (0: pages/10, at least 1)")
	format := fs.String("format", "refs", "output `format`: refs (one page a line) or oracle-general")
	return func(stdout io.Writer) error {
		if *format != "refs" && *format != "oracle-general" {
			return usagef("--format %q: want refs or oracle-general", *format)
		}
		var refs []replace.Ref
		var err error
		switch *kind {
		case "sequential":
			refs, err = trace.Sequential(*n, *pages)
		case "loop":
			refs, err = trace.Loop(*n, *pages)
		case "uniform":
			refs, err = trace.Uniform(*n, *pages, *seed)
		case "zipf":
			refs, err = trace.Zipf(*n, *pages, *alpha, *seed)
		case "phases":
			pl, w := *phaseLen, *ws
			if pl == 0 {
				pl = max(1, *n/5)
			}
			if w == 0 {
				w = max(1, *pages/10)
			}
			refs, err = trace.Phases(*n, pl, w, *pages, *seed)
		default:
			return usagef("--kind %q: want sequential, loop, uniform, zipf or phases", *kind)
		}
		if err != nil {
			return err
		}
		if *format == "oracle-general" {
			pages := make([]vm.PageID, len(refs))
			for i, r := range refs {
				pages[i] = r.Page
			}
			return trace.WriteOracleGeneral(stdout, pages)
		}
		bw := bufio.NewWriter(stdout)
		var buf []byte
		for _, r := range refs {
			buf = strconv.AppendUint(buf[:0], uint64(r.Page), 10)
			buf = append(buf, '\n')
			bw.Write(buf)
		}
		return bw.Flush()
	}
}
