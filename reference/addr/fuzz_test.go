package addr_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/vmkata/vmkata/reference/addr"
	"github.com/vmkata/vmkata/vm"
)

// FuzzParseVAddr checks that ParseVAddr never panics, fails only with its
// documented errors, and that what it accepts prints and parses back.
func FuzzParseVAddr(f *testing.F) {
	for _, s := range []string{"0x7fff_ffff_f000", "0X1000", "4096", "1_000", "0b101", "0o17", "010",
		"", "0x", "-1", "0xffffffffffffffff", "0x1_0000_0000_0000_0000", "1__0", " 42 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		va, err := addr.ParseVAddr(s)
		if err != nil {
			if !errors.Is(err, strconv.ErrSyntax) && !errors.Is(err, vm.ErrOutOfRange) {
				t.Fatalf("ParseVAddr(%q) = %v, want an error wrapping strconv.ErrSyntax or vm.ErrOutOfRange", s, err)
			}
			return
		}
		for _, text := range []string{va.String(), fmt.Sprint(uint64(va))} {
			if back, err := addr.ParseVAddr(text); err != nil || back != va {
				t.Fatalf("ParseVAddr(%q) = %v, but ParseVAddr(%q) = %v, %v", s, va, text, back, err)
			}
		}
	})
}

// FuzzParseGeometry checks that ParseGeometry never panics, that whatever it
// returns is valid, and that a custom geometry parses back from its String.
func FuzzParseGeometry(f *testing.F) {
	for _, s := range []string{"x86-64", "x86-32", "x86-64-5level", "textbook", "9/9/9/9/12", "10/10/12",
		"4/4/6", "9/9/9/12", "20/12", "9/9/9/9/9/9/12", "", "/", "1/1", "10/10/10/10/10/14"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := addr.ParseGeometry(s)
		if err != nil {
			if !errors.Is(err, vm.ErrInvalidConfig) {
				t.Fatalf("ParseGeometry(%q) = %v, want an error wrapping vm.ErrInvalidConfig", s, err)
			}
			return
		}
		if err := addr.Validate(g); err != nil {
			t.Fatalf("ParseGeometry(%q) = %+v, which Validate rejects: %v", s, g, err)
		}
		if g.Name == "" {
			if back, err := addr.ParseGeometry(g.String()); err != nil || back != g {
				t.Fatalf("ParseGeometry(%q) = %+v, but ParseGeometry(%q) = %+v, %v", s, g, g.String(), back, err)
			}
		}
	})
}
