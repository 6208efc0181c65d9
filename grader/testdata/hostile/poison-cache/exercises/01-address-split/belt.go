package addr

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The catalogue's safety belt. An attack that reaches beyond its own
// process touches only the processes of the catalogue's run (those in its
// session, or whose environment names the run) and kits that carry the
// catalogue's mark (.hostile-kit), so that a leaky grader lets it harm
// nothing else on the machine. A sound grader keeps all of them out of
// reach anyway.

// statFields returns the fields of /proc/<pid>/stat after the command
// name: state, parent, process group, session, ….
func statFields(pid string) []string {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return nil
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}

// runProcs returns the pids of the run's other processes that this one
// can see. When this process knows its run (the grader passed the mark
// on), the mark must name the same run, so that cases graded side by side
// by a leaky grader do not hit each other.
func runProcs() []string {
	self := strconv.Itoa(os.Getpid())
	mine := statFields("self")
	mark := "VMKATA_HOSTILE_RUN="
	if run, ok := os.LookupEnv("VMKATA_HOSTILE_RUN"); ok {
		mark += run + "\x00"
	}
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid := e.Name()
		if _, err := strconv.Atoi(pid); err != nil || pid == self {
			continue
		}
		f := statFields(pid)
		if len(f) < 4 {
			continue
		}
		env, _ := os.ReadFile("/proc/" + pid + "/environ")
		if (len(mine) >= 4 && f[3] == mine[3]) || strings.Contains(string(env)+"\x00", mark) {
			out = append(out, pid)
		}
	}
	return out
}

// pathsSeen returns the absolute paths this process can learn: its
// working directory and executable, and the working directories,
// executables and command-line paths of the run's processes.
func pathsSeen() []string {
	var out []string
	if wd, err := os.Getwd(); err == nil {
		out = append(out, wd)
	}
	if exe, err := os.Executable(); err == nil {
		out = append(out, exe)
	}
	for _, pid := range runProcs() {
		for _, link := range []string{"cwd", "exe", "root"} {
			if p, err := os.Readlink("/proc/" + pid + "/" + link); err == nil {
				out = append(out, p)
			}
		}
		cmd, _ := os.ReadFile("/proc/" + pid + "/cmdline")
		for _, a := range strings.Split(string(cmd), "\x00") {
			if _, v, ok := strings.Cut(a, "="); ok {
				a = v
			}
			if filepath.IsAbs(a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// kitRoots returns the marked kits found from every path seen and its
// parents, and by guessing where temporary copies live.
func kitRoots() []string {
	seen := map[string]bool{}
	var kits []string
	try := func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		if _, err := os.Stat(filepath.Join(d, ".hostile-kit")); err == nil {
			kits = append(kits, d)
		}
	}
	for _, p := range pathsSeen() {
		for d := p; ; d = filepath.Dir(d) {
			try(d)
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	for _, pattern := range []string{"/tmp/*/.hostile-kit", "/tmp/*/*/.hostile-kit", "/tmp/*/*/*/.hostile-kit", "/tmp/*/*/*/*/.hostile-kit"} {
		found, _ := filepath.Glob(pattern)
		for _, f := range found {
			try(filepath.Dir(f))
		}
	}
	return kits
}
