// Package trace reads and makes the memory-reference traces that the
// replacement simulator replays: textbook reference strings, address traces,
// Valgrind lackey traces, seeded synthetic workloads, and the search for
// reference strings that show Belady's anomaly.
//
// A trace is a sequence of Ref values (page, write). Ref is replace.Ref, so a
// Reader plugs straight into replace.Run, and a loaded or generated trace into
// replace.Simulate; this is the only thing trace takes from reference/replace.
//
// The usage idiom:
//
//	refs, err := trace.ParseRefs("7 0 1 2 0 3 0 4")        // a textbook string
//	r, err := trace.Open("app.lackey", trace.Lackey, 4096)  // stream a big file
//	defer r.Close()
//	p, _ := replace.New("lru", 64, replace.Options{})
//	res, err := replace.Run(p, r.Next, nil)                // constant memory
//	refs, err = trace.Load("app.lackey", trace.Lackey, 4096) // whole trace, for opt
//	refs, err = trace.Zipf(100_000, 1000, 1.0, 42)          // a seeded workload
//	k, found := trace.BeladyAnomaly(refs, 16)               // FIFO faults more with k+1 frames
//
// # Formats
//
//   - Refs ("refs"): page numbers, decimal or 0x-hex, separated by spaces,
//     tabs, commas and newlines in any mix ("7 0 1 2", "7,0,1,2", one per
//     line). A page may carry a w suffix for a write ("7w") or r for a read,
//     as replace.Ref prints it. '#' starts a comment that runs to the end of
//     the line. A reference string may be one line of any length.
//   - Addr ("addr"): one address a line, hex with 0x or decimal, optionally
//     followed (or preceded) by R or W; page = address / page size. Blank
//     lines and '#' comments are skipped.
//   - Lackey ("lackey"): the output of valgrind --tool=lackey
//     --trace-mem=yes: "I  04001234,3" (instruction fetch), " L 7ff000a28,8"
//     (load), " S …" (store), " M …" (modify). Addresses are hex without 0x,
//     sizes decimal bytes. Lines starting with "==" (Valgrind's own messages)
//     and blank lines are skipped. I and L are reads, S a write, and M, a
//     load followed by a store to the same bytes, is two references: a read,
//     then a write (the convention of the CS:APP cache lab), so M's second
//     reference hits whenever memory holds the pages the access covers. An
//     access whose bytes straddle a page boundary touches every page it
//     covers, in address order (for M: all reads, then all writes). A size
//     above MaxAccessSize is malformed.
//   - OracleGeneral ("oracle-general", libCacheSim's "oracleGeneral"):
//     libCacheSim's binary records of 24 bytes, little-endian and packed:
//     uint32 time, uint64 object id, uint32 size, int64 next-access time
//     (the position, from 1, of the next request for the object; -1 or
//     2^63-1 for none). Each record is one read of page = object id; the
//     size and time are ignored. ReadFuture hands the next-access times to
//     opt, which then needs no pass of its own.
//   - CSV ("csv"): comma-separated lines with the page in one column
//     (Reader.SetColumn; the first by default), as libCacheSim's csv traces
//     have the object id; a first line whose field there is not a number is
//     a header. libCacheSim's "txt" (one object id a line) is Refs.
//   - Auto ("auto"): Detect chooses from the file name and the first 4 KiB.
//
// # Memory
//
// A Reader streams: it holds one buffer (64 KiB, growing up to MaxLine for a
// long line of an addr or lackey trace) and allocates nothing per reference
// (Read hands out references in bulk, the fastest way through a trace),
// so a multi-gigabyte trace is replayed in constant memory through
// replace.Run. Only opt needs the whole future; Reader.ReadFuture reads its
// pages (8 bytes a reference, 12 with an oracle-general trace's next-access
// times), and Load and Reader.ReadAll read a whole trace into a slice (16
// bytes a reference).
//
// # Errors
//
// A malformed line is a *ParseError naming the file, the line number and the
// offending text, wrapping strconv.ErrSyntax (or vm.ErrOutOfRange for a
// number that does not fit in 64 bits). A trace without a single reference
// returns an error wrapping ErrEmpty. A bad page size or generator parameter
// wraps vm.ErrInvalidConfig. Nothing panics on bad input.
package trace
