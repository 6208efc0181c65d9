package sandbox

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var all = Options{Limits: Limits{Memory: 2 << 30, Processes: 64, CPU: 1500 * time.Millisecond, Files: 100}, Isolate: true}

func TestDecide(t *testing.T) {
	tests := []struct {
		name  string
		facts facts
		opt   Options
		want  string // Describe of the protections
		check func(t *testing.T, p plan)
	}{
		{
			name:  "linux root with a delegated cgroup v2",
			facts: facts{OS: "linux", Root: true, UserNS: true, Files: filesReadOnly, Cgroup: true, CgroupMemory: true, CgroupPids: true},
			opt:   all,
			want: "network: off (network namespace); user: nobody (uid 65534), not root; " +
				"files: read-only, with empty private /tmp, /var/tmp and /dev/shm (mount namespace); " +
				"memory limit: whole run, 2048 MiB (cgroup v2); process limit: whole run, 64 processes and threads (cgroup v2); " +
				"CPU time limit: per process, 2s (RLIMIT_CPU); open files limit: per process, 100 (RLIMIT_NOFILE); kill at the end: whole run (cgroup v2)",
			check: func(t *testing.T, p plan) {
				assert.Equal(t, plan{userNS: true, netNS: true, dropUser: true, files: filesReadOnly, drop: dropCapabilities, cgroup: true, cgroupMemory: 2 << 30, cgroupPids: 64,
					rlimits: rlimits{CPU: 2, NoFile: 100}, protections: p.protections}, p)
			},
		},
		{
			name:  "linux root, cgroup without controllers, no user namespaces",
			facts: facts{OS: "linux", Root: true, NetNS: true, Files: filesPrivateTmp, Cgroup: true, CgroupNote: "cgroup v2 has no memory or pids controller here"},
			opt:   all,
			want: "network: off (network namespace); user: nobody (uid 65534), not root; " +
				"files: the machine's, with empty private /tmp, /var/tmp and /dev/shm (mount namespace); " +
				"memory limit: per process, 2048 MiB of address space (RLIMIT_AS; cgroup v2 has no memory or pids controller here); " +
				"process limit: 64 processes and threads of uid 65534, shared by concurrent runs (RLIMIT_NPROC); " +
				"CPU time limit: per process, 2s (RLIMIT_CPU); open files limit: per process, 100 (RLIMIT_NOFILE); kill at the end: whole run (cgroup v2)",
			check: func(t *testing.T, p plan) {
				assert.Equal(t, plan{netNS: true, dropUser: true, files: filesPrivateTmp, drop: dropToNobody, cgroup: true,
					rlimits: rlimits{AS: 2 << 30, NProc: 64, CPU: 2, NoFile: 100}, protections: p.protections}, p)
			},
		},
		{
			name:  "linux learner: no cgroup, no namespaces",
			facts: facts{OS: "linux", CgroupNote: "no cgroup v2: this process is in no cgroup v2"},
			opt:   all,
			want: "network: not isolated on this system (no network namespace); files: the machine's own (no mount namespace); " +
				"memory limit: per process, 2048 MiB of address space (RLIMIT_AS; no cgroup v2: this process is in no cgroup v2); " +
				"process limit: not enforced on this system (the run shares your user id; no cgroup v2: this process is in no cgroup v2); " +
				"CPU time limit: per process, 2s (RLIMIT_CPU); open files limit: per process, 100 (RLIMIT_NOFILE); " +
				"kill at the end: process group (a process that leaves its group survives)",
			check: func(t *testing.T, p plan) {
				assert.Equal(t, rlimits{AS: 2 << 30, CPU: 2, NoFile: 100}, p.rlimits)
				assert.False(t, p.userNS || p.netNS || p.dropUser || p.cgroup)
				assert.Equal(t, filesShared, p.files)
			},
		},
		{
			name:  "linux, nothing asked",
			facts: facts{OS: "linux", Root: true, UserNS: true, Cgroup: true},
			want:  "kill at the end: whole run (cgroup v2)",
			check: func(t *testing.T, p plan) {
				assert.Equal(t, plan{cgroup: true, protections: p.protections}, p)
			},
		},
		{
			name:  "macOS learner",
			facts: facts{OS: "darwin", UserProcesses: 300},
			opt:   all,
			want: "network: not isolated on this system; memory limit: not enforced on this system; " +
				"process limit: 64 processes more than your user runs now (RLIMIT_NPROC); " +
				"CPU time limit: per process, 2s (RLIMIT_CPU); open files limit: per process, 100 (RLIMIT_NOFILE); " +
				"kill at the end: process group (a process that leaves its group survives)",
			check: func(t *testing.T, p plan) {
				assert.Equal(t, rlimits{NProc: 364, CPU: 2, NoFile: 100}, p.rlimits)
			},
		},
		{
			name:  "macOS as root",
			facts: facts{OS: "darwin", Root: true, UserProcesses: 300},
			opt:   Options{Limits: Limits{Processes: 64}},
			want: "process limit: not enforced on this system (root is exempt); " +
				"kill at the end: process group (a process that leaves its group survives)",
			check: func(t *testing.T, p plan) { assert.Equal(t, rlimits{}, p.rlimits) },
		},
		{
			name:  "another Unix system",
			facts: facts{OS: "freebsd", UserProcesses: -1},
			opt:   Options{Limits: Limits{Memory: 1 << 30, Processes: 64, Files: 10}},
			want: "memory limit: not enforced on this system; process limit: not enforced on this system; " +
				"open files limit: per process, 10 (RLIMIT_NOFILE); kill at the end: process group (a process that leaves its group survives)",
			check: func(t *testing.T, p plan) { assert.Equal(t, rlimits{NoFile: 10}, p.rlimits) },
		},
		{
			name:  "windows with a Job Object",
			facts: facts{OS: "windows", Job: true},
			opt:   all,
			want: "network: not isolated on this system; memory limit: whole run, 2048 MiB (Job Object); " +
				"process limit: whole run, 64 processes (Job Object); CPU time limit: whole run, 1.5s (Job Object); " +
				"open files limit: not enforced on this system; kill at the end: whole run (Job Object)",
			check: func(t *testing.T, p plan) {
				assert.True(t, p.job)
				assert.Equal(t, Limits{Memory: 2 << 30, Processes: 64, CPU: 1500 * time.Millisecond}, p.jobLimits)
				assert.Equal(t, rlimits{}, p.rlimits)
			},
		},
		{
			name:  "windows without a Job Object",
			facts: facts{OS: "windows", JobNote: "Access is denied."},
			opt:   Options{Limits: Limits{Memory: 1 << 30}},
			want: "memory limit: not enforced on this system (no Job Object: Access is denied.); " +
				"kill at the end: main process only",
			check: func(t *testing.T, p plan) { assert.False(t, p.job) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := decide(tt.facts, tt.opt)
			assert.Equal(t, tt.want, Describe(p.protections))
			tt.check(t, p)
		})
	}
}

func TestCauseString(t *testing.T) {
	assert.Equal(t, "ended killed out of memory CPU time limit Cause(9)",
		Ended.String()+" "+Killed.String()+" "+OutOfMemory.String()+" "+CPUTime.String()+" "+Cause(9).String())
}
