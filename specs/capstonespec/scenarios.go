package capstonespec

import (
	"bytes"
	"fmt"
	"io/fs"

	"github.com/vmkata/vmkata/cmd/vmsim/script"
	"github.com/vmkata/vmkata/examples"
	"github.com/vmkata/vmkata/reference/kernel"
)

// scenarioNames are the shipped scenario scripts, sorted.
func scenarioNames() []string {
	names, err := fs.Glob(examples.Scripts, "*.vms")
	if err != nil || len(names) == 0 {
		panic(fmt.Sprintf("capstonespec: no scenario scripts: %v", err))
	}
	return names
}

// runScenario runs the shipped script name on kernels whose configuration
// plug sets, and returns what went wrong: an expect that did not hold, a
// command that failed, a broken invariant (the runner calls Check after
// every command), with the end of the event log.
func runScenario(name string, plug func(*kernel.Config) error) error {
	src, err := examples.Scripts.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("capstonespec: %v", err))
	}
	prog, err := script.Parse("examples/"+name, bytes.NewReader(src))
	if err != nil {
		panic(fmt.Sprintf("capstonespec: %v", err))
	}
	var log bytes.Buffer
	if err := script.Run(prog, &log, script.Options{Parts: plug}); err != nil {
		return fmt.Errorf("%v\nthe end of its event log:\n%s", err, tail(log.String(), 20))
	}
	return nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := bytes.Split(bytes.TrimRight([]byte(s), "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
