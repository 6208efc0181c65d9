package feedback

import (
	"flag"
	"strings"
	"testing"

	"github.com/onsi/gomega/format"

	"github.com/vmkata/vmkata/vm"
)

func TestReplay(t *testing.T) {
	tests := []struct{ msg, spec, dir, want string }{
		{
			msg:  "[rapid] failed after 3 tests: boom\nTo reproduce, specify -run=\"TLB \\\\[exercise 04\\\\] agrees\" -rapid.seed=42\nFailed test output:",
			spec: "TLB [exercise 04] agrees", dir: "exercises/04-tlb",
			want: "[rapid] failed after 3 tests: boom\nTo reproduce, run: go test ./exercises/04-tlb/ -ginkgo.focus='TLB \\[exercise 04\\] agrees' -rapid.seed=42",
		},
		{
			msg:  "[rapid] panic after 0 tests: x\nTo reproduce, specify -run=\"it's\" -rapid.seed=7\nTraceback:\n  a.go:1\nFailed test output:",
			spec: "it's", dir: ".",
			want: "[rapid] panic after 0 tests: x\nTo reproduce, run: go test ./ -ginkgo.focus='it'\\''s' -rapid.seed=7\nTraceback:\n  a.go:1",
		},
	}
	for _, tt := range tests {
		if got := Replay(tt.msg, tt.spec, tt.dir); got != tt.want {
			t.Errorf("Replay(%q, %q, %q) =\n%s\nwant\n%s", tt.msg, tt.spec, tt.dir, got, tt.want)
		}
	}
}

func TestVMValuesPrintThroughString(t *testing.T) {
	got := format.Object(vm.PermRW|vm.PermUser, 0)
	if want := "<vm.Perm>: rw-u"; got != want {
		t.Errorf("format.Object(rw-u) = %q, want %q", got, want)
	}
	got = format.Object(struct{ P vm.PTE }{vm.MakePTE(0x2a, vm.PTEPresent)}, 0)
	if want := "PTE{pfn=0x2a P}"; !strings.Contains(got, want) {
		t.Errorf("format.Object of a struct holding a PTE = %q, want it to contain %q", got, want)
	}
	if got := format.Object(7, 0); got != "<int>: 7" {
		t.Errorf("format.Object(7) = %q: other types must keep Gomega's rendering", got)
	}
}

func TestNoFailFiles(t *testing.T) {
	if f := flag.Lookup("rapid.nofailfile"); f == nil || f.Value.String() != "true" {
		t.Errorf("-rapid.nofailfile = %v, want true by default", f)
	}
}
