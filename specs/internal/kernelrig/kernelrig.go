// Package kernelrig is the specs' harness around one reference kernel: each
// helper makes one kernel call, records it on the trail and fails the spec,
// with every call made so far, when the call does not succeed.
package kernelrig

import (
	"errors"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/specs/internal/trail"
	"github.com/vmkata/vmkata/vm"
)

// Rig is a kernel under test and the calls made on it so far.
type Rig struct {
	K *kernel.Kernel
	trail.Trail
}

// New wraps k; what is how it was built, the first line of the trail.
func New(k *kernel.Kernel, what string) *Rig {
	return &Rig{K: k, Trail: trail.Start(what)}
}

// Spawn starts a process running img and returns its pid.
func (r *Rig) Spawn(img kernel.Image) int {
	ginkgo.GinkgoHelper()
	pid, err := r.K.Spawn(img)
	r.Log("Spawn(%+v) = %d, %v", img, pid, err)
	r.Must("Spawn", err)
	return pid
}

// Mmap maps a into pid and returns the address chosen.
func (r *Rig) Mmap(pid int, a kernel.MmapArgs) vm.VAddr {
	ginkgo.GinkgoHelper()
	va, err := r.K.Mmap(pid, a)
	r.Log("Mmap(%d, %v) = %v, %v", pid, a, va, err)
	r.Must(fmt.Sprintf("Mmap(%d, %v)", pid, a), err)
	return va
}

// Write writes data at va in pid.
func (r *Rig) Write(pid int, va vm.VAddr, data []byte) {
	ginkgo.GinkgoHelper()
	err := r.K.Write(pid, va, data)
	r.Log("Write(%d, %v, %q) = %v", pid, va, data, err)
	r.Must(fmt.Sprintf("Write(%d, %v, %q)", pid, va, data), err)
}

// ExpectRead reads len(want) bytes at va in pid and requires want.
func (r *Rig) ExpectRead(pid int, va vm.VAddr, want []byte) {
	ginkgo.GinkgoHelper()
	got, err := r.K.Read(pid, va, len(want))
	r.Log("Read(%d, %v, %d) = %q, %v", pid, va, len(want), got, err)
	r.Must(fmt.Sprintf("Read(%d, %v, %d)", pid, va, len(want)), err)
	if string(got) != string(want) {
		r.Fail("Read(%d, %v, %d) = %q, want %q", pid, va, len(want), got, want)
	}
}

// VMAs returns pid's VMAs in address order.
func (r *Rig) VMAs(pid int) []vm.VMA {
	ginkgo.GinkgoHelper()
	vs, err := r.K.VMAs(pid)
	r.Must(fmt.Sprintf("VMAs(%d)", pid), err)
	return vs
}

// ExpectSegv requires err, what the call what returned, to be SIGSEGV with
// code.
func (r *Rig) ExpectSegv(err error, code kernel.SignalCode, what string) {
	ginkgo.GinkgoHelper()
	r.Log("%s = %v", what, err)
	var se *kernel.SignalError
	if !errors.As(err, &se) || se.Signal != kernel.SIGSEGV || se.Code != code {
		r.Fail("%s = %v, want SIGSEGV (%v)", what, err, code)
	}
}

// Check runs the kernel's invariant checker.
func (r *Rig) Check(after string) {
	ginkgo.GinkgoHelper()
	if err := r.K.Check(); err != nil {
		r.Fail("Check() after %s = %v, want nil", after, err)
	}
}
