package ostep

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The machine of paging-multilevel-translate.py.
const (
	PageBytes = 32 // bytes per page
	vaBits    = 15
)

// Multilevel is a problem of paging-multilevel-translate.py: physical
// memory, the page holding the page directory, and the addresses to
// translate.
type Multilevel struct {
	Memory    map[int][]byte // page number -> its PageBytes bytes
	PDBR      int            // the page that holds the page directory
	Addresses []uint64       // the virtual addresses asked about, in order
}

// A Fault says which entry of a walk was not valid.
type Fault int

// The faults of a walk.
const (
	NoFault  Fault = iota
	PDEFault       // the page-directory entry was not valid
	PTEFault       // the page-table entry was not valid
)

// Walk is one translation of a Multilevel problem, with every value the
// simulator's -c shows.
type Walk struct {
	VA       uint64
	PDEIndex int  // va bits 14..10
	PDE      byte // the page-directory entry
	PTEIndex int  // va bits 9..5
	PTE      byte // the page-table entry; meaningful unless Fault == PDEFault
	Fault    Fault
	PA       uint64 // the physical address; meaningful when Fault == NoFault
	Value    byte   // the byte at PA
}

// ParseMultilevel reads the text paging-multilevel-translate.py prints
// without -c: "page N:" lines of 32 hex bytes, the "PDBR: N" line and the
// "Virtual Address XXXX: …" questions. Other lines (ARG, blank) are
// skipped. name names the input in errors, which are *ParseError.
func ParseMultilevel(r io.Reader, name string) (*Multilevel, error) {
	lr := newLineReader(r, name)
	m := &Multilevel{Memory: map[int][]byte{}, PDBR: -1}
	for {
		line, ok := lr.next()
		if !ok {
			break
		}
		switch {
		case strings.HasPrefix(line, "page"):
			num, hex, found := strings.Cut(strings.TrimPrefix(line, "page"), ":")
			n, err := strconv.Atoi(strings.TrimSpace(num))
			if !found || err != nil || n < 0 || n >= 128 {
				return nil, lr.errf("want \"page N:\" with N in 0..127, found %q", line)
			}
			hex = strings.TrimSpace(hex)
			if len(hex) != 2*PageBytes {
				return nil, lr.errf("page %d has %d hex digits, want %d (%d bytes)", n, len(hex), 2*PageBytes, PageBytes)
			}
			page := make([]byte, PageBytes)
			for i := range page {
				b, err := parseHex(hex[2*i:2*i+2], 8)
				if err != nil {
					return nil, lr.errf("page %d: byte %d is %q, not two hex digits", n, i, hex[2*i:2*i+2])
				}
				page[i] = byte(b)
			}
			if _, dup := m.Memory[n]; dup {
				return nil, lr.errf("page %d appears twice", n)
			}
			m.Memory[n] = page
		case strings.HasPrefix(line, "PDBR:"):
			f := strings.Fields(strings.TrimPrefix(line, "PDBR:"))
			if len(f) == 0 {
				return nil, lr.errf("PDBR: no page number")
			}
			n, err := strconv.Atoi(f[0])
			if err != nil || n < 0 || n >= 128 {
				return nil, lr.errf("PDBR %q is not a page number in 0..127", f[0])
			}
			m.PDBR = n
		case strings.HasPrefix(line, "Virtual Address"):
			va, _, _ := strings.Cut(strings.TrimPrefix(line, "Virtual Address"), ":")
			v, err := parseHex(va, vaBits+1)
			if err != nil || v >= 1<<vaBits {
				return nil, lr.errf("virtual address %q is not a 15-bit hex number", strings.TrimSpace(va))
			}
			m.Addresses = append(m.Addresses, v)
		}
	}
	if err := lr.sc.Err(); err != nil {
		return nil, err
	}
	switch {
	case m.PDBR < 0:
		return nil, lr.missing("PDBR")
	case len(m.Memory) == 0:
		return nil, lr.missing(`"page N:"`)
	case m.Memory[m.PDBR] == nil:
		return nil, &ParseError{Name: name, Msg: fmt.Sprintf("the PDBR's page %d is not in the dump", m.PDBR)}
	}
	return m, nil
}

// byteAt returns the byte at physical address pa.
func (m *Multilevel) byteAt(pa uint64) (byte, error) {
	page, ok := m.Memory[int(pa/PageBytes)]
	if !ok {
		return 0, fmt.Errorf("physical address %#x: page %d is not in the dump", pa, pa/PageBytes)
	}
	return page[pa%PageBytes], nil
}

// Translate walks va as the simulator's MMU does: the page-directory entry
// at PDBR*32 + va[14:10], then, if its top bit is set, the page-table entry
// at (pde&0x7f)*32 + va[9:5], then, if valid, PA = (pte&0x7f)*32 + va[4:0].
// It fails only when a page it needs is missing from the dump.
func (m *Multilevel) Translate(va uint64) (Walk, error) {
	w := Walk{VA: va, PDEIndex: int(va >> 10 & 0x1f), PTEIndex: int(va >> 5 & 0x1f)}
	var err error
	if w.PDE, err = m.byteAt(uint64(m.PDBR)*PageBytes + uint64(w.PDEIndex)); err != nil {
		return w, err
	}
	if w.PDE&0x80 == 0 {
		w.Fault = PDEFault
		return w, nil
	}
	if w.PTE, err = m.byteAt(uint64(w.PDE&0x7f)*PageBytes + uint64(w.PTEIndex)); err != nil {
		return w, err
	}
	if w.PTE&0x80 == 0 {
		w.Fault = PTEFault
		return w, nil
	}
	w.PA = uint64(w.PTE&0x7f)*PageBytes | va&0x1f
	w.Value, err = m.byteAt(w.PA)
	return w, err
}

// String prints w as the simulator's -c does, one line per step.
func (w Walk) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Virtual Address 0x%04x:\n", w.VA)
	entry := func(indent, name string, index int, e byte) {
		fmt.Fprintf(&b, "%s--> %s index:0x%x [decimal %d] %s contents:0x%x (valid %d, pfn 0x%02x [decimal %d])\n",
			indent, name, index, index, name, e, e>>7, e&0x7f, e&0x7f)
	}
	entry("  ", "pde", w.PDEIndex, w.PDE)
	if w.Fault != PDEFault {
		entry("    ", "pte", w.PTEIndex, w.PTE)
	}
	switch w.Fault {
	case NoFault:
		fmt.Fprintf(&b, "      --> Translates to Physical Address 0x%03x --> Value: 0x%02x\n", w.PA, w.Value)
	case PDEFault:
		b.WriteString("      --> Fault (page directory entry not valid)\n")
	default:
		b.WriteString("      --> Fault (page table entry not valid)\n")
	}
	return b.String()
}

// Solve writes the walk of every address asked, in order, as the
// simulator's -c prints them.
func (m *Multilevel) Solve(w io.Writer) error {
	for _, va := range m.Addresses {
		walk, err := m.Translate(va)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, walk.String()); err != nil {
			return err
		}
	}
	return nil
}
