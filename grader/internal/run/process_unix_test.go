//go:build unix

package run

import (
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeJudgeEnv makes this test binary a judge that notes being asked to
// stop, and otherwise waits.
const fakeJudgeEnv = "VMKATA_RUN_TEST_FAKE_JUDGE"

func init() {
	if os.Getenv(fakeJudgeEnv) == "" {
		return
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	_ = os.WriteFile("ready", nil, 0o644)
	select {
	case <-c:
		_ = os.WriteFile("asked-to-stop", nil, 0o644)
		os.Exit(0)
	case <-time.After(time.Minute):
		os.Exit(3)
	}
}

// A judge past its time is asked to stop (so that it ends its subject's
// whole run, children included) before it is killed.
func TestAJudgePastItsTimeIsAskedToStop(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	t.Setenv(fakeJudgeEnv, "1")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var asked time.Time
	go func() {
		// The time limit strikes once the judge is up.
		for {
			if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
				asked = time.Now()
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	o := runJudge(ctx, Options{WorkDir: dir}, self, "subject", filepath.Join(dir, "report.json"), time.Minute, "")
	assert.True(t, o.timedOut)
	assert.Less(t, time.Since(asked), stopGrace, "it stopped when asked, it was not killed")
	assert.FileExists(t, filepath.Join(dir, "asked-to-stop"), "output: %s", o.stderr)
}
