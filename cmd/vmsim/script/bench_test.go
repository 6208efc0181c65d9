package script

import (
	"io"
	"os"
	"testing"
)

// BenchmarkRunThrashing runs the thrashing example (about 300 faults, each
// with its events formatted) with the log discarded: the cost of a story.
func BenchmarkRunThrashing(b *testing.B) {
	for _, mode := range []struct {
		name string
		json bool
	}{{"text", false}, {"json", true}} {
		b.Run(mode.name, func(b *testing.B) {
			f, err := os.Open("../../../examples/thrashing.vms")
			if err != nil {
				b.Fatal(err)
			}
			prog, err := Parse("thrashing.vms", f)
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := Run(prog, io.Discard, Options{JSON: mode.json}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
