package vm

// Perm is a set of access permissions on a page or a region.
//
// PermUser marks a page that user-mode code may touch; without it the page
// belongs to the kernel (the U/S bit of an x86 PTE). The zero Perm is
// PROT_NONE: nothing may be done.
type Perm uint8

// Permission bits.
const (
	PermRead Perm = 1 << iota
	PermWrite
	PermExec
	PermUser
)

// Common permission sets.
const (
	PermRW  = PermRead | PermWrite
	PermRX  = PermRead | PermExec
	PermRWX = PermRead | PermWrite | PermExec
)

// Has reports whether every bit of q is in p.
func (p Perm) Has(q Perm) bool { return p&q == q }

// String prints p as four characters, "rwxu" with '-' for a missing bit:
// "rw-u" is a user read-write page, "r-x-" a kernel code page.
func (p Perm) String() string {
	b := [4]byte{'-', '-', '-', '-'}
	if p.Has(PermRead) {
		b[0] = 'r'
	}
	if p.Has(PermWrite) {
		b[1] = 'w'
	}
	if p.Has(PermExec) {
		b[2] = 'x'
	}
	if p.Has(PermUser) {
		b[3] = 'u'
	}
	return string(b[:])
}

// AccessKind is what a memory reference does: read data, write data or
// fetch an instruction.
type AccessKind uint8

// Access kinds.
const (
	Read AccessKind = iota
	Write
	Execute
)

// String prints read, write or execute.
func (k AccessKind) String() string {
	switch k {
	case Read:
		return "read"
	case Write:
		return "write"
	case Execute:
		return "execute"
	}
	return "access?"
}

// Access is one memory reference as the MMU sees it: its kind and whether
// the CPU was in user mode (ring 3) or supervisor mode (the kernel).
type Access struct {
	Kind AccessKind
	User bool
}

// Shorthands for the six possible accesses.
var (
	UserRead        = Access{Kind: Read, User: true}
	UserWrite       = Access{Kind: Write, User: true}
	UserExec        = Access{Kind: Execute, User: true}
	SupervisorRead  = Access{Kind: Read}
	SupervisorWrite = Access{Kind: Write}
	SupervisorExec  = Access{Kind: Execute}
)

// Needs returns the permission bits a page must have for a to succeed.
// A user access also needs PermUser; a supervisor access does not (the
// model does not implement SMEP/SMAP).
func (a Access) Needs() Perm {
	var p Perm
	switch a.Kind {
	case Read:
		p = PermRead
	case Write:
		p = PermWrite
	case Execute:
		p = PermExec
	}
	if a.User {
		p |= PermUser
	}
	return p
}

// String prints e.g. "user write" or "supervisor read".
func (a Access) String() string {
	if a.User {
		return "user " + a.Kind.String()
	}
	return "supervisor " + a.Kind.String()
}
