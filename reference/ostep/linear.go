package ostep

import (
	"fmt"
	"io"
	"math/bits"
	"strings"
)

// Linear is a problem of paging-linear-translate.py: the page size, the
// linear page table and the addresses to translate.
type Linear struct {
	PageSize  uint64   // bytes per page, a power of two
	Table     []uint32 // entry i maps VPN i: bit 31 valid, the rest the frame number
	Addresses []uint64
}

// LinearResult is one translation of a Linear problem.
type LinearResult struct {
	VA    uint64
	VPN   uint64
	Valid bool
	PA    uint64 // meaningful when Valid
}

// ParseLinear reads the text paging-linear-translate.py prints without -c:
// the "ARG page size" line, the entries after "Page Table", and the
// "VA 0x…" lines of the trace. name names the input in errors, which are
// *ParseError.
func ParseLinear(r io.Reader, name string) (*Linear, error) {
	lr := newLineReader(r, name)
	l := &Linear{}
	inTable := false
	for {
		line, ok := lr.next()
		if !ok {
			break
		}
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "ARG page size"):
			n, err := parseSize(strings.TrimPrefix(t, "ARG page size"))
			if err != nil {
				return nil, lr.errf("page size: %v", err)
			}
			if n&(n-1) != 0 {
				return nil, lr.errf("page size %d is not a power of two", n)
			}
			l.PageSize = n
		case strings.HasPrefix(t, "Page Table"):
			inTable = true
		case inTable && t == "":
			inTable = len(l.Table) == 0 // a blank line ends the table, once it has begun
		case inTable:
			e := t
			if strings.HasPrefix(e, "[") { // verbose: "[       0]  0x8000000c"
				_, e, _ = strings.Cut(e, "]")
			}
			v, err := parseHex(e, 32)
			if err != nil || !strings.HasPrefix(strings.TrimSpace(e), "0x") {
				return nil, lr.errf("page-table entry %q is not a 32-bit hex number 0x…", t)
			}
			l.Table = append(l.Table, uint32(v))
		case strings.HasPrefix(t, "VA "):
			f := strings.Fields(strings.TrimPrefix(t, "VA "))
			if len(f) == 0 {
				return nil, lr.errf("VA line without an address")
			}
			v, err := parseHex(f[0], 64)
			if err != nil || !strings.HasPrefix(f[0], "0x") {
				return nil, lr.errf("virtual address %q is not a hex number 0x…", f[0])
			}
			l.Addresses = append(l.Addresses, v)
		}
	}
	if err := lr.sc.Err(); err != nil {
		return nil, err
	}
	switch {
	case l.PageSize == 0:
		return nil, lr.missing(`"ARG page size"`)
	case len(l.Table) == 0:
		return nil, lr.missing(`"Page Table" entry`)
	}
	return l, nil
}

// Translate looks va up: VPN = va / PageSize; the entry's top bit says
// whether the page is valid, and PA = (entry & 0x7fffffff) * PageSize +
// va % PageSize. It fails for an address beyond the table.
func (l *Linear) Translate(va uint64) (LinearResult, error) {
	shift := uint(bits.TrailingZeros64(l.PageSize))
	r := LinearResult{VA: va, VPN: va >> shift}
	if r.VPN >= uint64(len(l.Table)) {
		return r, fmt.Errorf("virtual address %#x: VPN %d is past the table's %d entries", va, r.VPN, len(l.Table))
	}
	e := l.Table[r.VPN]
	if e>>31 == 1 {
		r.Valid = true
		r.PA = uint64(e&0x7fffffff)<<shift | va&(l.PageSize-1)
	}
	return r, nil
}

// String prints r as the simulator's -c does.
func (r LinearResult) String() string {
	if !r.Valid {
		return fmt.Sprintf("  VA 0x%08x (decimal: %8d) -->  Invalid (VPN %d not valid)", r.VA, r.VA, r.VPN)
	}
	return fmt.Sprintf("  VA 0x%08x (decimal: %8d) --> %08x (decimal %8d) [VPN %d]", r.VA, r.VA, r.PA, r.PA, r.VPN)
}

// Solve writes the trace with every answer, as the simulator's -c prints it.
func (l *Linear) Solve(w io.Writer) error {
	var b strings.Builder
	b.WriteString("Virtual Address Trace\n")
	for _, va := range l.Addresses {
		r, err := l.Translate(va)
		if err != nil {
			return err
		}
		b.WriteString(r.String())
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
