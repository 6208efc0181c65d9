package addr

import (
	"os"
	"time"
)

const (
	marker   = "vmkata-hostile-pipe-holder"
	childEnv = "VMKATA_HOSTILE_CHILD=" + marker
)

// inherited keeps the descriptors' files reachable: a collected *os.File
// would close the descriptor under the package that owns it.
var inherited []*os.File

func init() {
	if os.Getenv("VMKATA_HOSTILE_CHILD") == marker {
		time.Sleep(10 * time.Minute)
		os.Exit(0)
	}
	exe, err := os.Executable()
	if err != nil {
		exe = "/proc/self/exe"
	}
	entries, _ := os.ReadDir("/proc/self/fd")
	inherited = []*os.File{os.Stdin, os.Stdout, os.Stderr}
	for fd := 3; fd < 3+len(entries); fd++ {
		inherited = append(inherited, os.NewFile(uintptr(fd), "inherited"))
	}
	for n := len(inherited); n >= 3; n-- {
		p, err := os.StartProcess(exe, []string{exe, marker}, &os.ProcAttr{Env: []string{childEnv}, Files: inherited[:n]})
		if err == nil {
			_ = p.Release()
			return
		}
	}
}
