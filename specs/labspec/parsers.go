package labspec

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"pgregory.net/rapid"

	"github.com/vmkata/vmkata/reference/linuxlab"
	"github.com/vmkata/vmkata/vm"
)

// kB is one kilobyte as smaps prints it.
const kB = 1024

// mapsCase is one maps line and the VMA it holds.
type mapsCase struct {
	line string
	want vm.LinuxVMA
}

func file(start, end uint64, perms string, off uint64, dev string, inode uint64, path string) vm.LinuxVMA {
	return vm.LinuxVMA{Start: vm.VAddr(start), End: vm.VAddr(end), Perms: perms, Offset: off, Dev: dev, Inode: inode, Path: path}
}

func anon(start, end uint64, perms, path string) vm.LinuxVMA {
	return file(start, end, perms, 0, "00:00", 0, path)
}

// smapsSample is an smaps text with three VMAs. Every counter has a value
// of its own, and the fields that share a prefix with one LinuxVMA keeps
// (Pss_Dirty, SwapPss, Private_Hugetlb …) differ from it.
const smapsSample = `00400000-00452000 r-xp 00000000 08:02 173521                             /usr/bin/dbus daemon
Size:                328 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                 300 kB
Pss:                 150 kB
Pss_Dirty:             7 kB
Shared_Clean:        296 kB
Shared_Dirty:          0 kB
Private_Clean:         4 kB
Private_Dirty:         0 kB
Referenced:          300 kB
Anonymous:             0 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        5 kB
Private_Hugetlb:       9 kB
Swap:                  0 kB
SwapPss:               3 kB
Locked:                0 kB
THPeligible:           0
ProtectionKey:         0
VmFlags: rd ex mr mw me dw sd
7f3a40000000-7f3a40600000 rw-p 00000000 00:00 0
Size:               6144 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                4104 kB
Pss:                4100 kB
Pss_Dirty:          4090 kB
Shared_Clean:          0 kB
Shared_Dirty:          8 kB
Private_Clean:        12 kB
Private_Dirty:      4084 kB
Referenced:         4104 kB
Anonymous:          4092 kB
AnonHugePages:      2048 kB
Shared_Hugetlb:        1 kB
Private_Hugetlb:       2 kB
Swap:                 16 kB
SwapPss:              15 kB
THPeligible:           1
VmFlags: rd wr mr mw me ac sd hg
7ffd4f2e1000-7ffd4f302000 rw-p 00000000 00:00 0                          [stack]
Size:                132 kB
Rss:                  20 kB
Pss:                  20 kB
Private_Dirty:        20 kB
Anonymous:            20 kB
VmFlags: rd wr mr mw me gd ac
`

// smapsSampleWant is what smapsSample holds.
var smapsSampleWant = []vm.LinuxVMA{
	func() vm.LinuxVMA {
		v := file(0x400000, 0x452000, "r-xp", 0, "08:02", 173521, "/usr/bin/dbus daemon")
		v.Rss, v.Pss, v.SharedClean, v.PrivateClean = 300*kB, 150*kB, 296*kB, 4*kB
		return v
	}(),
	func() vm.LinuxVMA {
		v := anon(0x7f3a40000000, 0x7f3a40600000, "rw-p", "")
		v.Rss, v.Pss, v.SharedDirty, v.PrivateClean, v.PrivateDirty = 4104*kB, 4100*kB, 8*kB, 12*kB, 4084*kB
		v.Anonymous, v.AnonHugePages, v.Swap = 4092*kB, 2048*kB, 16*kB
		return v
	}(),
	func() vm.LinuxVMA {
		v := anon(0x7ffd4f2e1000, 0x7ffd4f302000, "rw-p", "[stack]")
		v.Rss, v.Pss, v.PrivateDirty, v.Anonymous = 20*kB, 20*kB, 20*kB, 20*kB
		return v
	}(),
}

// headers returns vmas with their smaps counters cleared.
func headers(vmas []vm.LinuxVMA) []vm.LinuxVMA {
	out := make([]vm.LinuxVMA, len(vmas))
	for i, v := range vmas {
		out[i] = vm.LinuxVMA{Start: v.Start, End: v.End, Perms: v.Perms, Offset: v.Offset, Dev: v.Dev, Inode: v.Inode, Path: v.Path}
	}
	return out
}

// show prints VMAs one a line with every field, for failure messages.
func show(vmas []vm.LinuxVMA) string {
	if len(vmas) == 0 {
		return "no VMAs"
	}
	var b strings.Builder
	for _, v := range vmas {
		fmt.Fprintf(&b, "\n    %+v", v)
	}
	return b.String()
}

// expectVMAs fails unless got equals want, field by field.
func expectVMAs(call string, got []vm.LinuxVMA, err error, want []vm.LinuxVMA) {
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("%s returned error %v, want %s", call, err, show(want)))
	}
	if len(got) != len(want) {
		ginkgo.Fail(fmt.Sprintf("%s = %d VMAs:%s\nwant %d:%s", call, len(got), show(got), len(want), show(want)))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			ginkgo.Fail(fmt.Sprintf("%s: VMA %d =\n    %+v\nwant\n    %+v", call, i, got[i], want[i]))
		}
	}
}

// expectLineError fails unless call refused its text with a nil result
// and an error naming line n.
func expectLineError(call string, got []vm.LinuxVMA, err error, n int) {
	if err == nil {
		ginkgo.Fail(fmt.Sprintf("%s = %s and no error; want an error naming line %d", call, show(got), n))
	}
	if got != nil {
		ginkgo.Fail(fmt.Sprintf("%s returned %s with its error; want nil", call, show(got)))
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("line %d", n)) {
		ginkgo.Fail(fmt.Sprintf("%s returned error %q, which does not name \"line %d\"", call, err, n))
	}
}

const goodLine = "00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/cat"

func describeParsers(lab Lab) {
	ginkgo.Describe("ParseMaps (no kernel needed)", func() {
		ginkgo.DescribeTable("reads the columns of one line",
			func(c mapsCase) {
				got, err := lab.ParseMaps(c.line + "\n")
				expectVMAs(fmt.Sprintf("ParseMaps(%q)", c.line), got, err, []vm.LinuxVMA{c.want})
			},
			ginkgo.Entry("a program's text: r-xp, inode in decimal", rules(1, "maps-fields", "maps-path"),
				mapsCase{"08048000-08056000 r-xp 00000000 03:0c 64593      /usr/sbin/gpm",
					file(0x8048000, 0x8056000, "r-xp", 0, "03:0c", 64593, "/usr/sbin/gpm")}),
			ginkgo.Entry("a library's data: the offset in hex", rules(1, "maps-fields", "maps-path"),
				mapsCase{"7f2c3e1a2000-7f2c3e1a4000 rw-p 0002b000 fd:01 1835082                    /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
					file(0x7f2c3e1a2000, 0x7f2c3e1a4000, "rw-p", 0x2b000, "fd:01", 1835082, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")}),
			ginkgo.Entry("a shared mapping: rw-s", rules(1, "maps-fields", "maps-path"),
				mapsCase{"7f1c00000000-7f1c00021000 rw-s 00010000 00:01 1024 /dev/shm/ring",
					file(0x7f1c00000000, 0x7f1c00021000, "rw-s", 0x10000, "00:01", 1024, "/dev/shm/ring")}),
			ginkgo.Entry("the stack, at the top of user space", rules(1, "maps-fields", "maps-path"),
				mapsCase{"7ffd4f2e1000-7ffd4f302000 rw-p 00000000 00:00 0                          [stack]",
					anon(0x7ffd4f2e1000, 0x7ffd4f302000, "rw-p", "[stack]")}),
			ginkgo.Entry("vsyscall, above 2^63: --xp", rules(1, "maps-fields", "maps-path"),
				mapsCase{"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
					anon(0xffffffffff600000, 0xffffffffff601000, "--xp", "[vsyscall]")}),
			ginkgo.Entry("a file name with spaces", rules(2, "maps-path"),
				mapsCase{"7f0000000000-7f0000001000 r--s 00000000 fd:01 42                         /home/me/My Documents/a  b.txt",
					file(0x7f0000000000, 0x7f0000001000, "r--s", 0, "fd:01", 42, "/home/me/My Documents/a  b.txt")}),
			ginkgo.Entry("a deleted file", rules(2, "maps-path"),
				mapsCase{"7f0000000000-7f0000002000 rw-s 00000000 00:01 7 /memfd:jit (deleted)",
					file(0x7f0000000000, 0x7f0000002000, "rw-s", 0, "00:01", 7, "/memfd:jit (deleted)")}),
			ginkgo.Entry("anonymous memory: nothing after the inode", rules(1, "maps-anon"),
				mapsCase{"c000000000-c000400000 rw-p 00000000 00:00 0",
					anon(0xc000000000, 0xc000400000, "rw-p", "")}),
			ginkgo.Entry("anonymous memory: only padding after the inode", rules(1, "maps-anon"),
				mapsCase{"7f3a40000000-7f3a40600000 rw-p 00000000 00:00 0      ",
					anon(0x7f3a40000000, 0x7f3a40600000, "rw-p", "")}),
		)
		ginkgo.It("returns the lines' VMAs in order, and none for empty text", rules(1, "maps-fields"), func() {
			text := goodLine + "\n7f0000000000-7f0000001000 ---p 00000000 00:00 0\n7ffd4f2e1000-7ffd4f302000 rw-p 00000000 00:00 0 [stack]\n"
			got, err := lab.ParseMaps(text)
			expectVMAs("ParseMaps(three lines)", got, err, []vm.LinuxVMA{
				file(0x400000, 0x452000, "r-xp", 0, "08:02", 173521, "/usr/bin/cat"),
				anon(0x7f0000000000, 0x7f0000001000, "---p", ""),
				anon(0x7ffd4f2e1000, 0x7ffd4f302000, "rw-p", "[stack]"),
			})
			got, err = lab.ParseMaps("")
			if err != nil || len(got) != 0 {
				ginkgo.Fail(fmt.Sprintf(`ParseMaps("") = %s, %v; want no VMAs and no error`, show(got), err))
			}
		})
		ginkgo.DescribeTable("refuses a malformed line, naming its number",
			func(bad string) {
				got, err := lab.ParseMaps(goodLine + "\n" + bad + "\n" + goodLine + "\n")
				expectLineError(fmt.Sprintf("ParseMaps(a good line, then %q, then a good line)", bad), got, err, 2)
			},
			ginkgo.Entry("an empty line", rules(1, "maps-bad-line"), ""),
			ginkgo.Entry("four columns", rules(1, "maps-bad-line"), "00400000-00452000 r-xp 00000000 08:02"),
			ginkgo.Entry("a range with no dash", rules(1, "maps-bad-line"), "00400000 r-xp 00000000 08:02 1 /a"),
			ginkgo.Entry("a range not in hex", rules(1, "maps-bad-line"), "0040000g-00452000 r-xp 00000000 08:02 1 /a"),
			ginkgo.Entry("a range that ends before it starts", rules(1, "maps-bad-line"), "00452000-00400000 r-xp 00000000 08:02 1 /a"),
			ginkgo.Entry("three permission letters", rules(1, "maps-bad-line"), "00400000-00452000 r-x 00000000 08:02 1 /a"),
			ginkgo.Entry("a permission letter out of place", rules(1, "maps-bad-line"), "00400000-00452000 rxwp 00000000 08:02 1 /a"),
			ginkgo.Entry("neither private nor shared", rules(1, "maps-bad-line"), "00400000-00452000 r-xq 00000000 08:02 1 /a"),
			ginkgo.Entry("an offset not in hex", rules(1, "maps-bad-line"), "00400000-00452000 r-xp 0000z000 08:02 1 /a"),
			ginkgo.Entry("a device with no colon", rules(1, "maps-bad-line"), "00400000-00452000 r-xp 00000000 0802 1 /a"),
			ginkgo.Entry("an inode in hex", rules(1, "maps-bad-line"), "00400000-00452000 r-xp 00000000 08:02 1f /a"),
			ginkgo.Entry("a negative inode", rules(1, "maps-bad-line"), "00400000-00452000 r-xp 00000000 08:02 -1 /a"),
		)
	})

	ginkgo.Describe("ParseSmaps (no kernel needed)", func() {
		ginkgo.It("starts a VMA at each maps line, parsed as ParseMaps does", rules(2, "smaps-header"), func() {
			got, err := lab.ParseSmaps(smapsSample)
			if err != nil {
				ginkgo.Fail(fmt.Sprintf("ParseSmaps(sample) returned error %v", err))
			}
			expectVMAs("ParseSmaps(sample), maps columns only", headers(got), nil, headers(smapsSampleWant))
		})
		ginkgo.It("gives each VMA the counters printed under it, in bytes", rules(3, "smaps-header", "smaps-bytes", "smaps-other-fields"), func() {
			got, err := lab.ParseSmaps(smapsSample)
			expectVMAs("ParseSmaps(sample)", got, err, smapsSampleWant)
		})
		ginkgo.It("skips fields it does not keep, whatever their value", rules(2, "smaps-other-fields"), func() {
			text := goodLine + "\nSize:   lots\nRss:   8 kB\nLocked:   x kB\nNewCounter:   12 kB\nTHPeligible:    1\nVmFlags: rd ex mr mw me\n"
			got, err := lab.ParseSmaps(text)
			want := file(0x400000, 0x452000, "r-xp", 0, "08:02", 173521, "/usr/bin/cat")
			want.Rss = 8 * kB
			expectVMAs(fmt.Sprintf("ParseSmaps(%q)", text), got, err, []vm.LinuxVMA{want})
		})
		ginkgo.DescribeTable("refuses a malformed line, naming its number",
			func(text string, line int) {
				got, err := lab.ParseSmaps(text)
				expectLineError(fmt.Sprintf("ParseSmaps(%q)", text), got, err, line)
			},
			ginkgo.Entry("a field before any VMA", rules(1, "smaps-bad-line"), "Rss:   4 kB\n"+goodLine+"\n", 1),
			ginkgo.Entry("a kept field in MB", rules(1, "smaps-bad-line"), goodLine+"\nSize:   4 kB\nRss:   4 MB\n", 3),
			ginkgo.Entry("a kept field with no number", rules(1, "smaps-bad-line"), goodLine+"\nPrivate_Dirty:   x kB\n", 2),
			ginkgo.Entry("a kept field with no unit", rules(1, "smaps-bad-line"), goodLine+"\nAnonymous:   4\n", 2),
			ginkgo.Entry("a malformed maps line", rules(1, "smaps-bad-line"), goodLine+"\nRss:   4 kB\n00400000-00452000 r-xp 00000000 08:02\nRss:   4 kB\n", 3),
		)
	})

	ginkgo.DescribeTable("Classify reads the kind of a VMA from its path (no kernel needed)",
		func(path string, want vm.RegionKind) {
			v := anon(0x7f0000000000, 0x7f0000001000, "rw-p", path)
			if got := lab.Classify(v); got != want {
				ginkgo.Fail(fmt.Sprintf("Classify(%v) = %v, want %v", v, got, want))
			}
		},
		ginkgo.Entry("no path", rules(1, "classify"), "", vm.RegionAnon),
		ginkgo.Entry("[heap]", rules(1, "classify"), "[heap]", vm.RegionHeap),
		ginkgo.Entry("[stack]", rules(1, "classify"), "[stack]", vm.RegionStack),
		ginkgo.Entry("[vdso]", rules(1, "classify"), "[vdso]", vm.RegionVDSO),
		ginkgo.Entry("[vvar]", rules(1, "classify"), "[vvar]", vm.RegionSpecial),
		ginkgo.Entry("[vsyscall]", rules(1, "classify"), "[vsyscall]", vm.RegionSpecial),
		ginkgo.Entry("a named anonymous region", rules(1, "classify"), "[anon:go heap]", vm.RegionSpecial),
		ginkgo.Entry("a program", rules(1, "classify"), "/usr/bin/cat", vm.RegionFile),
		ginkgo.Entry("a file called [heap]", rules(1, "classify"), "/tmp/[heap]", vm.RegionFile),
		ginkgo.Entry("a deleted memfd", rules(1, "classify"), "/memfd:jit (deleted)", vm.RegionFile),
	)
}

// describeProperty is the parsers' second net: random well-formed maps and
// smaps texts, parsed as the reference parses them.
func describeProperty(lab Lab) {
	ginkgo.It("ParseMaps and ParseSmaps agree with the reference on random texts", ginkgo.Label("property"), func() {
		rapid.Check(ginkgo.GinkgoT(), func(t *rapid.T) {
			text := rapid.Custom(mapsText).Draw(t, "maps")
			want, wantErr := linuxlab.ParseMaps(text)
			got, err := lab.ParseMaps(text)
			if (err == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
				t.Fatalf("ParseMaps(%q) = %s, %v; want %s, %v", text, show(got), err, show(want), wantErr)
			}
			smaps := rapid.Custom(smapsText).Draw(t, "smaps")
			want, wantErr = linuxlab.ParseSmaps(smaps)
			got, err = lab.ParseSmaps(smaps)
			if (err == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
				t.Fatalf("ParseSmaps(%q) = %s, %v; want %s, %v", smaps, show(got), err, show(want), wantErr)
			}
		})
	})
}

// mapsLine draws one well-formed maps line.
func mapsLine(t *rapid.T) string {
	start := rapid.Uint64Range(0, 1<<47).Draw(t, "start") &^ 0xfff
	end := start + rapid.Uint64Range(1, 1<<20).Draw(t, "pages")<<12
	perms := rapid.SampledFrom([]string{"r", "-"}).Draw(t, "r") + rapid.SampledFrom([]string{"w", "-"}).Draw(t, "w") +
		rapid.SampledFrom([]string{"x", "-"}).Draw(t, "x") + rapid.SampledFrom([]string{"p", "s"}).Draw(t, "ps")
	path := rapid.SampledFrom([]string{"", "[heap]", "[stack]", "[vdso]", "/usr/lib/libc.so.6", "/home/me/a b  c", "/tmp/x (deleted)"}).Draw(t, "path")
	pad := strings.Repeat(" ", rapid.IntRange(1, 30).Draw(t, "pad"))
	line := fmt.Sprintf("%08x-%08x %s %08x %02x:%02x %d", start, end, perms, rapid.Uint64Range(0, 1<<40).Draw(t, "offset"),
		rapid.IntRange(0, 255).Draw(t, "major"), rapid.IntRange(0, 255).Draw(t, "minor"), rapid.Uint64().Draw(t, "inode"))
	if path != "" {
		line += pad + path
	}
	return line
}

func mapsText(t *rapid.T) string {
	var b strings.Builder
	for range rapid.IntRange(0, 5).Draw(t, "lines") {
		b.WriteString(mapsLine(t) + "\n")
	}
	return b.String()
}

func smapsText(t *rapid.T) string {
	var b strings.Builder
	names := []string{"Size", "Rss", "Pss", "Pss_Dirty", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
		"Referenced", "Anonymous", "AnonHugePages", "Swap", "SwapPss", "Locked"}
	for range rapid.IntRange(0, 4).Draw(t, "vmas") {
		b.WriteString(mapsLine(t) + "\n")
		for range rapid.IntRange(0, 6).Draw(t, "fields") {
			fmt.Fprintf(&b, "%s:%s%d kB\n", rapid.SampledFrom(names).Draw(t, "field"),
				strings.Repeat(" ", rapid.IntRange(1, 12).Draw(t, "pad")), rapid.Uint64Range(0, 1<<30).Draw(t, "kB"))
		}
		b.WriteString("VmFlags: rd wr mr mw me ac sd\n")
	}
	return b.String()
}
