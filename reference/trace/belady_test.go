package trace

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/vm"
)

var classicBelady = replace.Reads(1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5)

func TestFIFOFaultsAgreesWithReplace(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		refs := make([]Ref, 1+rng.IntN(60))
		for i := range refs {
			refs[i].Page = vm.PageID(rng.IntN(8))
		}
		frames := 1 + rng.IntN(6)
		res, err := replace.Simulate("fifo", frames, refs, replace.Options{}, nil)
		require.NoError(t, err)
		if got := fifoFaults(refs, frames); uint64(got) != res.Faults {
			t.Fatalf("fifoFaults(%v, %d) = %d, want %d (replace fifo)", refs, frames, got, res.Faults)
		}
	}
}

func TestBeladyAnomaly(t *testing.T) {
	tests := []struct {
		name      string
		refs      []Ref
		maxFrames int
		frames    int
		found     bool
	}{
		{name: "classic", refs: classicBelady, maxFrames: 5, frames: 3, found: true},
		{name: "classic, too few frames tried", refs: classicBelady, maxFrames: 3, found: false},
		{name: "silberschatz string", refs: replace.Reads(7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1), maxFrames: 8, found: false},
		{name: "four frames", refs: replace.Reads(1, 2, 3, 4, 5, 1, 2, 6, 1, 2, 3, 4, 5, 6), maxFrames: 6, frames: 4, found: true},
		{name: "empty", refs: nil, maxFrames: 4, found: false},
	}
	for _, tt := range tests {
		frames, found := BeladyAnomaly(tt.refs, tt.maxFrames)
		if frames != tt.frames || found != tt.found {
			t.Errorf("%s: BeladyAnomaly(%v, %d) = %d, %v, want %d, %v", tt.name, tt.refs, tt.maxFrames, frames, found, tt.frames, tt.found)
		}
	}
	assert.Equal(t, 9, fifoFaults(classicBelady, 3), "FIFO faults on the classic string with 3 frames")
	assert.Equal(t, 10, fifoFaults(classicBelady, 4), "FIFO faults on the classic string with 4 frames")
}

func TestFindBeladyAnomaly(t *testing.T) {
	tests := []struct {
		name                  string
		maxLen, pages, frames int
		want                  []Ref
		found                 bool
	}{
		{name: "classic", maxLen: 12, pages: 5, frames: 3, want: classicBelady, found: true},
		{name: "classic, more pages allowed", maxLen: 14, pages: 7, frames: 3, want: classicBelady, found: true},
		{name: "one too short", maxLen: 11, pages: 5, frames: 3, found: false},
		{name: "four pages are not enough", maxLen: 13, pages: 4, frames: 3, found: false},
		{name: "one frame never", maxLen: 10, pages: 4, frames: 1, found: false},
		{name: "two frames", maxLen: 10, pages: 4, frames: 2, found: false},
	}
	for _, tt := range tests {
		got, found, err := FindBeladyAnomaly(tt.maxLen, tt.pages, tt.frames)
		require.NoError(t, err)
		if found != tt.found || (found && !assert.ObjectsAreEqual(tt.want, got)) {
			t.Errorf("%s: FindBeladyAnomaly(%d, %d, %d) = %v, %v, want %v, %v", tt.name, tt.maxLen, tt.pages, tt.frames, got, found, tt.want, tt.found)
		}
		if found && fifoFaults(got, tt.frames+1) <= fifoFaults(got, tt.frames) {
			t.Errorf("%s: FindBeladyAnomaly found %v, which is no anomaly", tt.name, got)
		}
	}
}

func TestFindBeladyAnomalyRejects(t *testing.T) {
	for _, c := range [][3]int{{0, 5, 3}, {12, 0, 3}, {12, 5, 0}, {MaxSearchLen + 1, 5, 3}, {12, MaxSearchPages + 1, 3}, {12, 5, MaxSearchFrames + 1}, {-1, -1, -1}} {
		_, found, err := FindBeladyAnomaly(c[0], c[1], c[2])
		assert.False(t, found)
		assert.ErrorIs(t, err, vm.ErrInvalidConfig, "FindBeladyAnomaly(%d, %d, %d)", c[0], c[1], c[2])
	}
}
