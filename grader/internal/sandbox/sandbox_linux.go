package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

const (
	rlimitAS    = unix.RLIMIT_AS
	rlimitNPROC = unix.RLIMIT_NPROC
)

func probe() facts { return probeWith("") }

// probeWith finds out what this system offers, by trying it: each
// namespace set and the cgroup placement are tried on a trampoline that
// exits at once. cgroupRoot is the cgroup v2 directory leaves are made in;
// "" is this process's own cgroup.
func probeWith(cgroupRoot string) facts {
	f := facts{OS: runtime.GOOS, Root: os.Geteuid() == 0, UserProcesses: -1}
	f.UserNS = tryStart(plan{userNS: true, netNS: true, dropUser: f.Root}, "")
	if f.Root && !f.UserNS {
		f.NetNS = tryStart(plan{netNS: true, dropUser: true}, "")
	}
	if f.UserNS || f.Root {
		for _, v := range []filesView{filesReadOnly, filesPrivateTmp} {
			p := decideLinux(facts{OS: f.OS, Root: f.Root, UserNS: f.UserNS, NetNS: f.NetNS, Files: v}, Options{Isolate: true})
			if tryStart(p, "") {
				f.Files = v
				break
			}
		}
	}
	f.CgroupRoot, f.Cgroup, f.CgroupMemory, f.CgroupPids, f.CgroupNote = probeCgroup(cgroupRoot)
	return f
}

// probeCgroup checks that a leaf can be made under root (or this process's
// own cgroup) and a process cloned into it, and which of the memory and
// pids controllers the leaf gets.
func probeCgroup(root string) (dir string, ok, memory, pids bool, note string) {
	if root == "" {
		var err error
		if root, err = ownCgroup(); err != nil {
			return "", false, false, false, "no cgroup v2: " + err.Error()
		}
	}
	var missing []string
	memory, pids = enable(root, "memory"), enable(root, "pids")
	if !memory {
		missing = append(missing, "memory")
	}
	if !pids {
		missing = append(missing, "pids")
	}
	if len(missing) > 0 {
		note = "cgroup v2 has no " + strings.Join(missing, " or ") + " controller here"
	}
	if !tryStart(plan{cgroup: true}, root) {
		return root, false, false, false, "cannot place a process in a new cgroup v2 under " + root
	}
	return root, true, memory, pids, note
}

// enable makes controller available to the children of cgroup dir, and
// reports whether it is.
func enable(dir, controller string) bool {
	has := func(file string) bool {
		b, err := os.ReadFile(filepath.Join(dir, file))
		return err == nil && strings.Contains(" "+strings.TrimSpace(string(b))+" ", " "+controller+" ")
	}
	if has("cgroup.subtree_control") {
		return true
	}
	if !has("cgroup.controllers") {
		return false
	}
	// Refused (EBUSY) when dir holds processes and is not the root.
	return write(filepath.Join(dir, "cgroup.subtree_control"), "+"+controller) == nil
}

// ownCgroup returns the directory of this process's cgroup v2.
func ownCgroup() (string, error) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	var path string
	for line := range strings.Lines(string(b)) {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "0::"); ok {
			path = p
		}
	}
	if path == "" {
		return "", errors.New("this process is in no cgroup v2")
	}
	mi, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", err
	}
	defer mi.Close()
	sc := bufio.NewScanner(mi)
	for sc.Scan() {
		// id parent major:minor root mountpoint options ... - fstype source options
		left, right, _ := strings.Cut(sc.Text(), " - ")
		fields, tail := strings.Fields(left), strings.Fields(right)
		if len(fields) < 5 || len(tail) < 1 || tail[0] != "cgroup2" {
			continue
		}
		if rel, ok := strings.CutPrefix(path, fields[3]); ok {
			return filepath.Join(fields[4], rel), nil
		}
	}
	return "", errors.New("no cgroup2 file system is mounted")
}

// tryStart reports whether a trampoline can be started under p, with
// cgroup leaves made in cgroupRoot, and set itself up as p says.
func tryStart(p plan, cgroupRoot string) bool {
	exe, err := os.Open("/proc/self/exe")
	if err != nil {
		return false
	}
	defer exe.Close()
	cmd := exec.Command("/proc/self/fd/3")
	cmd.Args = []string{trampolineName}
	cmd.ExtraFiles = []*os.File{exe}
	s := spec{report: 2, files: p.files, drop: p.drop, probe: true, path: "/proc/self/fd/3"}
	cmd.Env = []string{trampolineEnv + "=" + s.String()}
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	o := osRun{root: cgroupRoot}
	if err := o.prepare(cmd, p); err != nil {
		return false
	}
	err = cmd.Start()
	o.started()
	if err == nil {
		err = cmd.Wait()
	}
	return errors.Join(err, o.release()) == nil
}

// osRun is a run's cgroup leaf, if it has one.
type osRun struct {
	root       string   // the cgroup leaves are made in
	leaf       string   // the run's cgroup directory; "" when none
	leafFD     *os.File // open until the process is started
	leaderGone bool     // the group's leader may have been reaped: its id may be reused
}

func newOSRun(f facts) osRun { return osRun{root: f.CgroupRoot} }

// write writes value to an existing file, such as a cgroup's control file.
func write(path, value string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(value)
	return errors.Join(err, f.Close())
}

// trampolineExe opens this binary to pass it to the child as a descriptor:
// a child that dropped to nobody may not be allowed to reach its path.
func trampolineExe() (*os.File, string, error) {
	f, err := os.Open("/proc/self/exe")
	return f, "", err
}

// prepare sets cmd's namespaces, user and cgroup as p says, making the
// cgroup leaf.
func (o *osRun) prepare(cmd *exec.Cmd, p plan) error {
	a := cmd.SysProcAttr
	a.Pdeathsig = syscall.SIGKILL
	if p.netNS {
		a.Cloneflags |= syscall.CLONE_NEWNET
	}
	if p.files != filesShared {
		a.Cloneflags |= syscall.CLONE_NEWNS
	}
	if p.dropUser && p.drop != dropToNobody {
		a.Credential = &syscall.Credential{Uid: nobody, Gid: nobody, Groups: []uint32{}}
	}
	if p.userNS {
		a.Cloneflags |= syscall.CLONE_NEWUSER
		uid, gid := os.Getuid(), os.Getgid()
		if p.dropUser {
			uid, gid = nobody, nobody
			// Root may let the child drop its supplementary groups.
			a.GidMappingsEnableSetgroups = true
		} else {
			a.Credential = nil
		}
		inUID, inGID := uid, gid
		if p.drop == dropCapabilities {
			// Root inside, so that the trampoline may mount; the kernel
			// sees the unprivileged user outside, and the trampoline
			// gives up every capability before the exec.
			inUID, inGID = 0, 0
			a.Credential = &syscall.Credential{Uid: 0, Gid: 0, Groups: []uint32{}, NoSetGroups: !p.dropUser}
		}
		a.UidMappings = []syscall.SysProcIDMap{{ContainerID: inUID, HostID: uid, Size: 1}}
		a.GidMappings = []syscall.SysProcIDMap{{ContainerID: inGID, HostID: gid, Size: 1}}
	}
	if !p.cgroup {
		return nil
	}
	leaf, err := os.MkdirTemp(o.root, "vmkata-sandbox-")
	if err != nil {
		return fmt.Errorf("sandbox: making a cgroup: %w", err)
	}
	o.leaf = leaf
	set := func(file, value string) error {
		return write(filepath.Join(leaf, file), value)
	}
	if m := p.cgroupMemory; m > 0 {
		err = errors.Join(set("memory.max", strconv.FormatUint(m, 10)), set("memory.swap.max", "0"))
		if errors.Is(err, os.ErrNotExist) { // no swap accounting
			err = set("memory.max", strconv.FormatUint(m, 10))
		}
	}
	if n := p.cgroupPids; n > 0 && err == nil {
		err = set("pids.max", strconv.Itoa(n))
	}
	if err == nil {
		o.leafFD, err = os.Open(leaf)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("sandbox: setting up cgroup %s: %w", leaf, err), o.release())
	}
	a.UseCgroupFD, a.CgroupFD = true, int(o.leafFD.Fd())
	return nil
}

// started closes what only the start needed.
func (o *osRun) started() {
	if o.leafFD != nil {
		o.leafFD.Close()
		o.leafFD = nil
	}
}

// kill kills every process in the run's cgroup.
func (o *osRun) kill() {
	if o.leaf == "" {
		return
	}
	if write(filepath.Join(o.leaf, "cgroup.kill"), "1") == nil {
		return
	}
	// Before Linux 5.14: one by one.
	b, _ := os.ReadFile(filepath.Join(o.leaf, "cgroup.procs"))
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// release removes the run's cgroup once its killed processes are gone.
func (o *osRun) release() error {
	o.started()
	if o.leaf == "" {
		return nil
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := syscall.Rmdir(o.leaf)
		if err == nil || errors.Is(err, syscall.ENOENT) {
			o.leaf = ""
			return nil
		}
		if !errors.Is(err, syscall.EBUSY) || time.Now().After(deadline) {
			return fmt.Errorf("sandbox: removing cgroup %s: %w", o.leaf, err)
		}
		o.kill()
		time.Sleep(5 * time.Millisecond)
	}
}

// outOfMemory reports whether the kernel killed a process of the run at
// the cgroup's memory limit.
func (o *osRun) outOfMemory() bool {
	if o.leaf == "" {
		return false
	}
	b, err := os.ReadFile(filepath.Join(o.leaf, "memory.events"))
	if err != nil {
		return false
	}
	for line := range strings.Lines(string(b)) {
		if n, ok := strings.CutPrefix(strings.TrimSpace(line), "oom_kill "); ok {
			return n != "0"
		}
	}
	return false
}

// waitExited waits until pid has ended, without reaping it, and reports
// whether it could.
func waitExited(pid int) bool {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			return err == nil
		}
	}
}

// privateTmpSize bounds each private temporary folder of a run.
const privateTmpSize = "size=64m,mode=1777"

// privateFiles gives this process (the trampoline, in a new mount
// namespace) the file system view v: fresh empty tmpfs folders over /tmp,
// /var/tmp and /dev/shm, the only world-writable places a program can
// count on, and with filesReadOnly every other mount read-only first
// (mount_setattr, Linux 5.12). Nothing propagates back to the machine.
func privateFiles(v filesView) error {
	if v == filesShared {
		return nil
	}
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	if v == filesReadOnly {
		attr := unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY}
		if err := unix.MountSetattr(unix.AT_FDCWD, "/", unix.AT_RECURSIVE, &attr); err != nil {
			return fmt.Errorf("making the file system read-only: %w", err)
		}
	}
	for _, dir := range []string{"/tmp", "/var/tmp", "/dev/shm"} {
		if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
			continue
		}
		if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, privateTmpSize); err != nil {
			return fmt.Errorf("mounting a private %s: %w", dir, err)
		}
	}
	return nil
}

// dropPrivilege gives up, for good, the privilege the trampoline kept to
// set the run's files up. The caller has locked its OS thread: capability
// sets are per thread, and the exec happens on this one.
func dropPrivilege(d dropMode) error {
	switch d {
	case dropToNobody:
		// Go applies these to every thread of the process.
		if err := syscall.Setgroups(nil); err != nil {
			return fmt.Errorf("dropping groups: %w", err)
		}
		if err := syscall.Setgid(nobody); err != nil {
			return fmt.Errorf("becoming gid %d: %w", nobody, err)
		}
		if err := syscall.Setuid(nobody); err != nil {
			return fmt.Errorf("becoming uid %d: %w", nobody, err)
		}
	case dropCapabilities:
		// Root of its own user namespace: with an empty bounding set and
		// no inheritable or ambient capabilities, the exec grants none.
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return fmt.Errorf("setting no_new_privs: %w", err)
		}
		for c := 0; ; c++ {
			err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0)
			if errors.Is(err, unix.EINVAL) {
				break // past the last capability
			}
			if err != nil {
				return fmt.Errorf("dropping capability %d: %w", c, err)
			}
		}
		if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil && !errors.Is(err, unix.EINVAL) {
			return fmt.Errorf("clearing ambient capabilities: %w", err)
		}
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var none [2]unix.CapUserData
		if err := unix.Capset(&hdr, &none[0]); err != nil {
			return fmt.Errorf("clearing capabilities: %w", err)
		}
	}
	return nil
}
