// Package script is vmsim's scenario language: a small line-based language
// that drives the reference kernel (reference/kernel) through a story —
// spawn, fork, touch memory, map files, run out of memory — and prints
// every kernel event with the script line that caused it, so that a
// learner can follow demand paging, copy-on-write, swap, the OOM killer and
// TLB shootdowns step by step. expect lines make a script check itself.
//
// The usage idiom:
//
//	prog, err := script.Parse("fork.vms", f) // *script.Error: "fork.vms:3: …"
//	err = script.Run(prog, os.Stdout, script.Options{JSON: false})
//	// nil, *script.ExpectError (an expect did not hold) or *script.Error
//
// # Syntax
//
// One command per line; '#' starts a comment; blank lines are ignored.
// Numbers are decimal or 0x hex; sizes take a K, M or G suffix (4K = 4096).
// Texts are double-quoted with Go escapes. Processes are named, not
// numbered. An ADDR is a number or a name, plus or minus sizes: text (the
// text base, 0x400000), heap (the process's heap start), brk (its current
// break), stack (the top of the stack: the stack lies below it), mmap (the
// mmap base) or a variable bound by "mmap … as VAR"; e.g. heap+4K,
// stack-8, buf+0x10. A PROT is none or letters among r, w, x (rw, r-x).
//
// # Commands
//
//	config frames N                 pageable frames (default 64)
//	config swap N                   swap slots (default 64; 0: no swap)
//	config tlb ENTRIES WAYS         each CPU's TLB (default 64 4)
//	config policy NAME              replacement policy (default clock)
//	config pcid on|off              keep TLB entries across context switches
//	config shootdown lazy|eager     IPIs only to CPUs running the process (default), or to all that may cache it
//	config cpus N                   CPUs, each with its own TLB (default 1)
//	config stack-limit SIZE         RLIMIT_STACK (default 8M)
//	config guard-gap SIZE           gap kept below a growing stack (default 1M)
//	config overcommit heuristic|always|never
//	config geometry x86-64|x86-64-5level|x86-32|textbook
//	reboot                          print the summary, start a new machine (config may follow)
//	file NAME SIZE [fill BYTE | text "…"]   an in-memory file (zeroes, a byte, a text repeated)
//	spawn NAME [text FILE] [data FILE] [bss SIZE] [stack SIZE]
//	exec NAME FILE [data FILE] [bss SIZE] [stack SIZE]
//	fork PARENT CHILD               copy-on-write fork
//	exit NAME
//	switch CPU NAME                 context switch: load NAME's page-table root into CPU's CR3
//	read NAME ADDR [LEN]            loads (default 1 byte); prints what was read
//	fetch NAME ADDR [LEN]           instruction fetches (need x)
//	write NAME ADDR VALUE|"text" [LEN]  stores the byte or text, repeated over LEN bytes
//	mmap NAME ADDR|any LEN PROT anon|file FILE [OFFSET] private|shared [fixed] [as VAR]
//	munmap NAME ADDR LEN
//	mprotect NAME ADDR LEN PROT
//	madvise NAME ADDR LEN dontneed|willneed
//	brk NAME ADDR|+DELTA|-DELTA     set the break, or move it (sbrk)
//	sync                            write dirty page-cache pages back to their files
//	mark                            expect delta counts from here
//	dump NAME                       the VMAs as /proc/PID/maps shows them, with resident pages
//	repeat N COMMAND…               the command, N times
//
// config lines come first (or right after a reboot); the kernel boots at
// the first other command.
//
// # Expectations
//
//	expect read NAME ADDR [LEN] ==|!= VALUE|"text"   (a real read: it may fault)
//	expect file FILE [OFFSET] [LEN] ==|!= VALUE|"text" (through the page cache, as read(2))
//	expect ok | expect segv [maperr|accerr] | expect sigbus | expect error ENOMEM|EINVAL|ENOENT
//	                                about the last command that ran
//	expect killed NAME [segv|sigbus|oom] | expect alive NAME
//	expect counter COUNTER OP N     a kernel counter since boot: minor_faults, cow_copies, … ,
//	                                cpuN.tlb_hits, cpuN.tlb_misses, …; OP is == != < <= > >=
//	expect delta COUNTER OP N       the same, since the last mark
//	expect rss|swapped|vmas NAME OP N   pages resident, pages in swap, number of VMAs
//	expect page NAME ADDR none|present|swapped|zero|writable|readonly
//	expect refs NAME ADDR OP N      the reference count of the frame mapped at ADDR
//
// # Outcomes and errors
//
// A SIGSEGV, SIGBUS or OOM kill in the simulated system is not a script
// error: it is an event, the process is dead, and the script continues
// (a later command naming the dead process is an error). A failed system
// call (ENOMEM, EINVAL, ENOENT) is printed and the script continues too.
// An unknown command, a bad argument, an unknown or dead process, a CPU
// that does not exist: an *Error, "FILE:LINE: message". An expect that
// does not hold: an *ExpectError, "FILE:LINE: expect …: what happened".
package script
