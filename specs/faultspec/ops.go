package faultspec

import (
	"fmt"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/vm"
)

// opKind names an operation of the random sequences.
type opKind uint8

const (
	opSpawn opKind = iota
	opRead
	opWrite
	opFetch
	opMmap
	opMunmap
	opMprotect
	opBrk
	opFork
	opExit
)

// op is one system call or memory access of a random sequence, run on both
// kernels. Its String is the line the failing sequence prints.
type op struct {
	kind opKind
	pid  int
	va   vm.VAddr
	n    int    // bytes to read or fetch; pages to munmap/mprotect; heap pages for brk
	data []byte // bytes to write
	perm vm.Perm
	mmap kernel.MmapArgs
}

func (o op) String() string {
	switch o.kind {
	case opSpawn:
		return "Spawn(/bin/app)"
	case opRead:
		return fmt.Sprintf("Read(%d, %v, %d)", o.pid, o.va, o.n)
	case opWrite:
		return fmt.Sprintf("Write(%d, %v, %s)", o.pid, o.va, showBytes(o.data))
	case opFetch:
		return fmt.Sprintf("Fetch(%d, %v, %d)", o.pid, o.va, o.n)
	case opMmap:
		return fmt.Sprintf("Mmap(%d, %v)", o.pid, o.mmap)
	case opMunmap:
		return fmt.Sprintf("Munmap(%d, %v, %d pages)", o.pid, o.va, o.n)
	case opMprotect:
		return fmt.Sprintf("Mprotect(%d, %v, %d pages, %v)", o.pid, o.va, o.n, o.perm.String()[:3])
	case opBrk:
		return fmt.Sprintf("Brk(%d, heap start + %d pages)", o.pid, o.n)
	case opFork:
		return fmt.Sprintf("Fork(%d)", o.pid)
	case opExit:
		return fmt.Sprintf("Exit(%d)", o.pid)
	}
	return fmt.Sprintf("op(%d)", o.kind)
}

// outcome is what an op gave back: its fate (see fate), the bytes read or
// fetched, the pid spawned or forked, the address mapped.
type outcome struct {
	fate  string
	bytes []byte
	pid   int
	va    vm.VAddr
}

func (o outcome) String() string {
	switch {
	case o.fate != "ok":
		return o.fate
	case o.bytes != nil:
		return showBytes(o.bytes)
	case o.pid != 0:
		return fmt.Sprintf("pid %d", o.pid)
	case o.va != 0:
		return o.va.String()
	}
	return "ok"
}

func (o outcome) equal(p outcome) bool {
	return o.fate == p.fate && string(o.bytes) == string(p.bytes) && o.pid == p.pid && o.va == p.va
}

// apply runs o on k.
func (o op) apply(k *kernel.Kernel) outcome {
	var (
		out outcome
		err error
	)
	switch o.kind {
	case opSpawn:
		out.pid, err = k.Spawn(image)
	case opRead:
		out.bytes, err = k.Read(o.pid, o.va, o.n)
	case opWrite:
		err = k.Write(o.pid, o.va, o.data)
	case opFetch:
		out.bytes, err = k.Fetch(o.pid, o.va, o.n)
	case opMmap:
		out.va, err = k.Mmap(o.pid, o.mmap)
	case opMunmap:
		err = k.Munmap(o.pid, o.va, uint64(o.n*page))
	case opMprotect:
		err = k.Mprotect(o.pid, o.va, uint64(o.n*page), o.perm)
	case opBrk:
		var start vm.VAddr
		if start, err = k.HeapStart(o.pid); err == nil {
			_, err = k.Brk(o.pid, start+vm.VAddr(o.n*page))
		}
	case opFork:
		out.pid, err = k.Fork(o.pid)
	case opExit:
		err = k.Exit(o.pid)
	}
	out.fate = fate(err)
	if err != nil {
		out.bytes, out.pid, out.va = nil, 0, 0
	}
	return out
}
