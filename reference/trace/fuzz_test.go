package trace

import (
	"strings"
	"testing"
	"testing/iotest"
)

func FuzzParseRefs(f *testing.F) {
	for _, s := range []string{"7 0 1 2", "7,0,1,2", "1\n2\n# c\n3w", "0x1f 2r", "x", "", "18446744073709551616", "1,,2\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		refs, err := ParseRefs(s)
		if err != nil {
			if refs != nil {
				t.Fatalf("ParseRefs(%q) = %v with error %v, want nil", s, refs, err)
			}
			return
		}
		// What parses prints back to a string that parses the same.
		var b strings.Builder
		for _, r := range refs {
			b.WriteString(r.String())
			b.WriteByte(' ')
		}
		again, err := ParseRefs(b.String())
		if err != nil || len(again) != len(refs) {
			t.Fatalf("ParseRefs(%q) = %v; reparsing %q gives %v, %v", s, refs, b.String(), again, err)
		}
		for i := range refs {
			if again[i] != refs[i] {
				t.Fatalf("ParseRefs(%q)[%d] = %v, reparsed %v", s, i, refs[i], again[i])
			}
		}
	})
}

// fuzzFormat checks that a format never panics and parses the same however
// the input is chunked.
func fuzzFormat(t *testing.T, f Format, s string) {
	whole, err1 := readAll(t, s, f, 4096, identity)
	bytewise, err2 := readAll(t, s, f, 4096, iotest.OneByteReader)
	if (err1 == nil) != (err2 == nil) || len(whole) != len(bytewise) {
		t.Fatalf("%s trace %q: whole read gives %d refs, %v; byte-wise %d refs, %v", f, s, len(whole), err1, len(bytewise), err2)
	}
	for i := range whole {
		if whole[i] != bytewise[i] {
			t.Fatalf("%s trace %q: reference %d = %v whole, %v byte-wise", f, s, i, whole[i], bytewise[i])
		}
	}
}

func FuzzLackey(f *testing.F) {
	for _, s := range []string{
		"==1== hi\nI  04001234,3\n L 7ff000a28,8\n S 04002ffc,8\n M 0400a010,4\n",
		" L ffffffffffffffff,2", " M 1,0", "I 0,65536", " X 1,1", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzFormat(t, Lackey, s) })
}

func FuzzAddr(f *testing.F) {
	for _, s := range []string{"0x1000\n4096 W\nR 0x10\n# c\n", "0xZZ", "1 2 3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzFormat(t, Addr, s) })
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{"time,obj\n1,7\n2,0x10\n", "7\n", "a,b\nc,d\n", "1,\n", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzFormat(t, CSV, s) })
}

func FuzzOracleGeneral(f *testing.F) {
	f.Add(string(oracleBytes([]uint64{5, 7, 5}, []int64{3, -1, -1})))
	f.Add("short")
	f.Fuzz(func(t *testing.T, s string) { fuzzFormat(t, OracleGeneral, s) })
}

// FuzzRead checks that Read's fast path returns what Next does, in refs and
// auto (whatever Detect makes of the input).
func FuzzRead(f *testing.F) {
	for _, s := range []string{"1\n2\n3w\n", "12345678901234567890\n", "1\r\n2\n# c 4\n5", "0x10\n", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, format := range []Format{Refs, Auto} {
			want, err1 := readAll(t, s, format, 4096, identity)
			rd, err := NewReader(iotest.HalfReader(strings.NewReader(s)), "t", format, 4096)
			if err != nil {
				t.Fatal(err)
			}
			var got []Ref
			buf := make([]Ref, 3)
			var err2 error
			for {
				var n int
				n, err2 = rd.Read(buf)
				got = append(got, buf[:n]...)
				if n == 0 || err2 != nil {
					break
				}
			}
			if (err1 == nil) != (err2 == nil) || (err1 == nil && len(got) != len(want)) {
				t.Fatalf("%s %q: Next gives %v, %v; Read %v, %v", format, s, want, err1, got, err2)
			}
			for i := range want {
				if err1 == nil && got[i] != want[i] {
					t.Fatalf("%s %q: reference %d = %v by Next, %v by Read", format, s, i, want[i], got[i])
				}
			}
		}
	})
}
