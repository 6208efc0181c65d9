package sandbox

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// probe finds out whether a Job Object can be made.
func probe() facts {
	f := facts{OS: runtime.GOOS, UserProcesses: -1}
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		f.JobNote = err.Error()
		return f
	}
	f.Job = true
	windows.CloseHandle(job)
	return f
}

// osRun is a run's Job Object, if it has one.
type osRun struct {
	job windows.Handle // 0 when none
}

func start(cmd *exec.Cmd, opt Options, f facts) (*Run, error) {
	if err := check(cmd); err != nil {
		return nil, err
	}
	p := decide(f, opt)
	r := &Run{cmd: cmd, plan: p}
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	if p.job {
		job, err := newJob(p.jobLimits)
		if err != nil {
			return nil, err
		}
		r.os.job = job
		// Suspended until it is in the job, so that the job's limits
		// precede its first instruction.
		cmd.SysProcAttr.CreationFlags = windows.CREATE_SUSPENDED
	}
	if err := cmd.Start(); err != nil {
		return nil, errors.Join(err, r.os.release())
	}
	if p.job {
		h, err := r.os.admit(cmd.Process.Pid)
		if err != nil {
			_ = cmd.Process.Kill()
			return nil, errors.Join(err, r.Close())
		}
		go r.watch(h)
	}
	return r, nil
}

// newJob makes a Job Object that kills its processes when closed, under
// limits.
func newJob(l Limits) (windows.Handle, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 0, fmt.Errorf("sandbox: making a Job Object: %w", err)
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	b := &info.BasicLimitInformation
	b.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if l.Memory > 0 {
		b.LimitFlags |= windows.JOB_OBJECT_LIMIT_JOB_MEMORY
		info.JobMemoryLimit = uintptr(l.Memory)
	}
	if l.Processes > 0 {
		b.LimitFlags |= windows.JOB_OBJECT_LIMIT_ACTIVE_PROCESS
		b.ActiveProcessLimit = uint32(l.Processes)
	}
	if l.CPU > 0 {
		b.LimitFlags |= windows.JOB_OBJECT_LIMIT_JOB_TIME
		b.PerJobUserTimeLimit = int64(l.CPU / 100) // in 100 ns
	}
	_, err = windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	if err != nil {
		windows.CloseHandle(job)
		return 0, fmt.Errorf("sandbox: setting the Job Object's limits: %w", err)
	}
	return job, nil
}

// admit puts the suspended process pid in the job, then resumes it. It
// returns a handle to the process, to wait on.
func (o *osRun) admit(pid int) (windows.Handle, error) {
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE|windows.SYNCHRONIZE, false, uint32(pid))
	if err != nil {
		return 0, fmt.Errorf("sandbox: opening process %d: %w", pid, err)
	}
	if err := windows.AssignProcessToJobObject(o.job, h); err != nil {
		windows.CloseHandle(h)
		return 0, fmt.Errorf("sandbox: putting process %d in its Job Object: %w", pid, err)
	}
	if err := resume(pid); err != nil {
		windows.CloseHandle(h)
		return 0, err
	}
	return h, nil
}

// resume resumes the threads of process pid (a process created suspended
// has one).
func resume(pid int) error {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return fmt.Errorf("sandbox: listing threads: %w", err)
	}
	defer windows.CloseHandle(snap)
	te := windows.ThreadEntry32{Size: uint32(unsafe.Sizeof(windows.ThreadEntry32{}))}
	resumed := 0
	for err = windows.Thread32First(snap, &te); err == nil; err = windows.Thread32Next(snap, &te) {
		if te.OwnerProcessID != uint32(pid) {
			continue
		}
		th, err := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, te.ThreadID)
		if err != nil {
			return fmt.Errorf("sandbox: opening thread %d: %w", te.ThreadID, err)
		}
		_, err = windows.ResumeThread(th)
		windows.CloseHandle(th)
		if err != nil {
			return fmt.Errorf("sandbox: resuming thread %d: %w", te.ThreadID, err)
		}
		resumed++
	}
	if resumed == 0 {
		return fmt.Errorf("sandbox: process %d has no thread to resume", pid)
	}
	return nil
}

// watch kills the rest of the run as soon as the main process, whose
// handle it takes, has ended.
func (r *Run) watch(process windows.Handle) {
	defer windows.CloseHandle(process)
	if _, err := windows.WaitForSingleObject(process, windows.INFINITE); err == nil {
		r.killAll()
	}
}

// wait reaps the main process and kills the rest of the run.
func (r *Run) wait() error {
	err := r.cmd.Wait()
	r.killAll()
	return err
}

func (r *Run) killAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.os.job != 0 {
		_ = windows.TerminateJobObject(r.os.job, 1)
		return
	}
	_ = r.cmd.Process.Kill() // harmless once it has ended: the handle stays ours
}

// release closes the job, which kills whatever is left in it.
func (o *osRun) release() error {
	if o.job == 0 {
		return nil
	}
	err := windows.CloseHandle(o.job)
	o.job = 0
	return err
}

// outOfMemory reports whether the job reached its memory limit.
func (o *osRun) outOfMemory() bool {
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	if o.job == 0 || windows.QueryInformationJobObject(o.job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil) != nil {
		return false
	}
	return info.JobMemoryLimit > 0 && info.PeakJobMemoryUsed >= info.JobMemoryLimit
}

// basicAccounting is JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.
type basicAccounting struct {
	TotalUserTime, TotalKernelTime                                                 int64 // in 100 ns
	ThisPeriodTotalUserTime, ThisPeriodTotalKernelTime                             int64
	TotalPageFaultCount, TotalProcesses, ActiveProcesses, TotalTerminatedProcesses uint32
}

// overCPU reports whether the job used up its CPU time.
func (r *Run) overCPU() bool {
	limit := r.plan.jobLimits.CPU
	var info basicAccounting
	if limit == 0 || r.os.job == 0 || windows.QueryInformationJobObject(r.os.job, windows.JobObjectBasicAccountingInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil) != nil {
		return false
	}
	return time.Duration(info.TotalUserTime)*100 >= limit
}
