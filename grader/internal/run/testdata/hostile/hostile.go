// Package hostile misbehaves in every way learner code can, so that the
// grader's containment can be tested.
package hostile

import (
	"os"
	"time"
)

// Works returns 42.
func Works() int { return 42 }

// Panics panics.
func Panics() int { panic("Panics not implemented") }

// Hangs never returns.
func Hangs() int {
	for {
		time.Sleep(time.Hour)
	}
}

// Exits ends the process.
func Exits() int {
	os.Exit(3)
	return 0
}

// Hoards allocates until the process runs out of memory.
func Hoards() int {
	var keep [][]byte
	for {
		b := make([]byte, 64<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1 // touch every page, so it counts against any memory limit
		}
		keep = append(keep, b)
	}
}
