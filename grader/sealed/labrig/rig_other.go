//go:build !linux

// Package labrig is the trusted side of exercise 19's specs (see rig_linux.go);
// on this system it can do nothing, and says why.
package labrig

import (
	"errors"
	"runtime"

	"github.com/vmkata/vmkata/vm"
)

// Local is the rig of the calling process.
type Local struct{}

var errNotLinux = errors.New("the rig needs Linux")

// Supported says why the rig cannot run here.
func (Local) Supported() string {
	return "the Linux lab observes the Linux kernel, and this is " + runtime.GOOS
}

// The rest exist so that the specs compile here; they are never called.

func (Local) Pid() int                             { return 0 }
func (Local) Maps() (string, error)                { return "", errNotLinux }
func (Local) Smaps(int) (string, error)            { return "", errNotLinux }
func (Local) MinorFaults() (uint64, error)         { return 0, errNotLinux }
func (Local) Read(vm.VAddr, int) ([]byte, error)   { return nil, errNotLinux }
func (Local) ReadFile(string, int) ([]byte, error) { return nil, errNotLinux }
func (Local) FileSize(string) (int64, error)       { return 0, errNotLinux }
func (Local) PanicOnFault() bool                   { return false }
func (Local) Unmap(vm.VAddr, uint64) error         { return errNotLinux }
func (Local) TempDir() (string, error)             { return "", errNotLinux }
func (Local) THPFallbacks() uint64                 { return 0 }
func (Local) THP() string                          { return "" }
func (Local) Fork(int) (int, vm.VAddr, error)      { return 0, 0, errNotLinux }
func (Local) ChildWrite(int) error                 { return errNotLinux }
func (Local) EndChild(int) error                   { return errNotLinux }
