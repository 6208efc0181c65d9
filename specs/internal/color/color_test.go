package color

import (
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// unsetNoColor unsets NO_COLOR for the test.
func unsetNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	_ = os.Unsetenv("NO_COLOR")
}

func TestOff(t *testing.T) {
	unsetNoColor(t)
	t.Setenv("WT_SESSION", "1") // as in Windows Terminal, so the answer is the same on every OS
	t.Setenv("TERM", "xterm-256color")
	assert.False(t, off(), "a colour terminal")

	t.Setenv("NO_COLOR", "")
	assert.True(t, off(), "NO_COLOR set, even empty")
}

func TestOffOnADumbTerminal(t *testing.T) {
	t.Setenv("WT_SESSION", "1")
	t.Setenv("TERM", "dumb")
	assert.True(t, off())
}

func TestOffInAWindowsConsole(t *testing.T) {
	unsetNoColor(t)
	t.Setenv("WT_SESSION", "")
	t.Setenv("TERM_PROGRAM", "")
	t.Setenv("TERM", "")
	assert.Equal(t, runtime.GOOS == "windows", off())
}
