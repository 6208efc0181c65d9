package addr

import (
	"os"
	"time"
)

const (
	marker   = "vmkata-hostile-pipe-holder"
	childEnv = "VMKATA_HOSTILE_CHILD=" + marker
)

// init starts a copy of this program that holds standard input, output
// and error (the pipes to the judge) for ten minutes. Only those three:
// handing the Go runtime's own descriptors to a child (os.NewFile and
// StartProcess make them blocking) would hang this very process.
func init() {
	if os.Getenv("VMKATA_HOSTILE_CHILD") == marker {
		time.Sleep(10 * time.Minute)
		os.Exit(0)
	}
	// Its own binary, wherever the file system hides the path.
	p, err := os.StartProcess("/proc/self/exe", []string{"/proc/self/exe", marker},
		&os.ProcAttr{Env: []string{childEnv}, Files: []*os.File{os.Stdin, os.Stdout, os.Stderr}})
	if err == nil {
		_ = p.Release()
	}
}
