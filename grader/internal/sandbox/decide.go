package sandbox

import (
	"fmt"
	"time"
)

// facts is what the running system offers a run. It is probed once per
// process by the OS's probe function, and made up in tests, so that every
// OS's decisions can be checked on any OS.
type facts struct {
	OS   string // runtime.GOOS
	Root bool   // the caller's effective user id is 0 (Unix)

	// Linux.
	UserNS       bool      // new user and network namespaces can be created
	NetNS        bool      // a network namespace alone can be created (root, no user namespace)
	Files        filesView // the most private file system view a run can be given
	CgroupRoot   string    // the cgroup v2 directory run leaves are made in
	Cgroup       bool      // a fresh leaf can be made there and a process cloned into it
	CgroupMemory bool      // the leaf can take memory.max
	CgroupPids   bool      // the leaf can take pids.max
	CgroupNote   string    // why the cgroup, or a controller, is not available

	// macOS.
	UserProcesses int // processes the caller's user runs now; -1 when unknown

	// Windows.
	Job     bool   // a Job Object can be created
	JobNote string // why not
}

// plan is what Start does for one run: decided by decide from facts and
// Options alone.
type plan struct {
	userNS   bool      // new user namespace (Linux)
	netNS    bool      // new network namespace (Linux)
	dropUser bool      // run as uid/gid nobody
	files    filesView // the file system the run sees; other than filesShared, in a new mount namespace (Linux)
	drop     dropMode  // how the trampoline gives up the privilege it needed to set files up

	cgroup       bool   // clone into a fresh cgroup v2 leaf
	cgroupMemory uint64 // memory.max; 0: none
	cgroupPids   int    // pids.max; 0: none

	job       bool   // Windows: run in a Job Object
	jobLimits Limits // the Job Object's limits (Files is not one)

	rlimits rlimits // applied by the trampoline (Unix)

	protections []Protection
}

// rlimits are the resource limits the trampoline applies; a zero field
// sets nothing.
type rlimits struct {
	AS     uint64 // RLIMIT_AS, bytes
	NProc  int    // RLIMIT_NPROC
	CPU    uint64 // RLIMIT_CPU, seconds
	NoFile int    // RLIMIT_NOFILE
}

// filesView is the file system a run sees.
type filesView int

const (
	filesShared     filesView = iota // the machine's own
	filesPrivateTmp                  // the machine's, with fresh empty /tmp, /var/tmp and /dev/shm of its own
	filesReadOnly                    // filesPrivateTmp, and every other mount read-only
)

// dropMode is how the trampoline gives up privilege once it has set the
// run's file system up (which needs it).
type dropMode int

const (
	dropNothing      dropMode = iota // the run starts unprivileged (or privilege is not dropped)
	dropToNobody                     // root: become uid/gid 65534 with no supplementary groups
	dropCapabilities                 // root of a new user namespace mapped to an unprivileged user: give up every capability for good
)

// nobody is the user and group an isolated run drops to from root.
const nobody = 65534

const notEnforced = "not enforced on this system"

// decide turns what the system offers into what a run does, and says
// which protections that puts in force.
func decide(f facts, opt Options) plan {
	switch f.OS {
	case "windows":
		return decideWindows(f, opt)
	case "linux":
		return decideLinux(f, opt)
	default:
		return decideUnix(f, opt)
	}
}

func decideLinux(f facts, opt Options) plan {
	var p plan
	add := p.add
	if opt.Isolate {
		switch {
		case f.UserNS:
			p.userNS, p.netNS = true, true
			add("network", true, "off (network namespace)")
		case f.Root && f.NetNS:
			p.netNS = true
			add("network", true, "off (network namespace)")
		default:
			add("network", false, "not isolated on this system (no network namespace)")
		}
		if f.Root {
			p.dropUser = true
			add("user", true, fmt.Sprintf("nobody (uid %d), not root", nobody))
		}
		p.files = f.Files
		switch {
		case f.Files == filesShared:
			add("files", false, "the machine's own (no mount namespace)")
		case f.Files == filesReadOnly:
			add("files", true, "read-only, with empty private /tmp, /var/tmp and /dev/shm (mount namespace)")
		default:
			add("files", true, "the machine's, with empty private /tmp, /var/tmp and /dev/shm (mount namespace)")
		}
		switch {
		case f.Files == filesShared:
		case p.userNS:
			p.drop = dropCapabilities
		case p.dropUser:
			p.drop = dropToNobody
		}
	}
	if f.Cgroup {
		p.cgroup = true
	}
	if m := opt.Memory; m > 0 {
		if f.Cgroup && f.CgroupMemory {
			p.cgroupMemory = m
			add("memory limit", true, "whole run, "+mib(m)+" (cgroup v2)")
		} else {
			p.rlimits.AS = m
			add("memory limit", true, "per process, "+mib(m)+" of address space (RLIMIT_AS"+because(f.CgroupNote)+")")
		}
	}
	if n := opt.Processes; n > 0 {
		switch {
		case f.Cgroup && f.CgroupPids:
			p.cgroupPids = n
			add("process limit", true, fmt.Sprintf("whole run, %d processes and threads (cgroup v2)", n))
		case p.dropUser:
			p.rlimits.NProc = n
			add("process limit", true, fmt.Sprintf("%d processes and threads of uid %d, shared by concurrent runs (RLIMIT_NPROC)", n, nobody))
		default:
			add("process limit", false, notEnforced+" (the run shares your user id"+because(f.CgroupNote)+")")
		}
	}
	p.cpuAndFiles(opt)
	add("kill at the end", true, pick(f.Cgroup, "whole run (cgroup v2)", "process group (a process that leaves its group survives)"))
	return p
}

// decideUnix decides for macOS and the other Unix systems: rlimits and a
// process group, no namespaces, no memory limit.
func decideUnix(f facts, opt Options) plan {
	var p plan
	add := p.add
	if opt.Isolate {
		add("network", false, "not isolated on this system")
	}
	if opt.Memory > 0 {
		add("memory limit", false, notEnforced)
	}
	if n := opt.Processes; n > 0 {
		switch {
		case f.OS != "darwin" || f.UserProcesses < 0:
			add("process limit", false, notEnforced)
		case f.Root:
			add("process limit", false, notEnforced+" (root is exempt)")
		default:
			p.rlimits.NProc = f.UserProcesses + n
			add("process limit", true, fmt.Sprintf("%d processes more than your user runs now (RLIMIT_NPROC)", n))
		}
	}
	p.cpuAndFiles(opt)
	add("kill at the end", true, "process group (a process that leaves its group survives)")
	return p
}

func decideWindows(f facts, opt Options) plan {
	var p plan
	add := p.add
	if opt.Isolate {
		add("network", false, "not isolated on this system")
	}
	p.job = f.Job
	if f.Job {
		p.jobLimits = opt.Limits
		p.jobLimits.Files = 0
	}
	why := notEnforced
	if !f.Job {
		why += " (no Job Object: " + f.JobNote + ")"
	}
	if m := opt.Memory; m > 0 {
		add("memory limit", f.Job, pick(f.Job, "whole run, "+mib(m)+" (Job Object)", why))
	}
	if n := opt.Processes; n > 0 {
		add("process limit", f.Job, pick(f.Job, fmt.Sprintf("whole run, %d processes (Job Object)", n), why))
	}
	if c := opt.CPU; c > 0 {
		add("CPU time limit", f.Job, pick(f.Job, "whole run, "+c.String()+" (Job Object)", why))
	}
	if opt.Files > 0 {
		add("open files limit", false, notEnforced)
	}
	add("kill at the end", true, pick(f.Job, "whole run (Job Object)", "main process only"))
	return p
}

// cpuAndFiles sets the CPU-time and open-file rlimits, which every Unix
// system enforces per process.
func (p *plan) cpuAndFiles(opt Options) {
	if c := opt.CPU; c > 0 {
		p.rlimits.CPU = uint64((c + time.Second - 1) / time.Second)
		p.add("CPU time limit", true, fmt.Sprintf("per process, %ds (RLIMIT_CPU)", p.rlimits.CPU))
	}
	if n := opt.Files; n > 0 {
		p.rlimits.NoFile = n
		p.add("open files limit", true, fmt.Sprintf("per process, %d (RLIMIT_NOFILE)", n))
	}
}

func (p *plan) add(name string, active bool, detail string) {
	p.protections = append(p.protections, Protection{Name: name, Active: active, Detail: detail})
}

// because adds a reason to a detail's parentheses.
func because(note string) string {
	if note == "" {
		return ""
	}
	return "; " + note
}

func pick(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

// mib prints a byte count in MiB when it is a whole number of them.
func mib(n uint64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
