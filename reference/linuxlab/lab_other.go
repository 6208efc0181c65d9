//go:build !linux

package linuxlab

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/vmkata/vmkata/vm"
)

// errNotLinux is every experiment's error on a system other than Linux.
var errNotLinux = fmt.Errorf("the Linux lab observes the Linux kernel, and this is %s: %w", runtime.GOOS, errors.ErrUnsupported)

// ReadSmaps needs Linux's /proc.
func ReadSmaps(int) ([]vm.LinuxVMA, error) { return nil, errNotLinux }

// MinorFaults needs Linux.
func MinorFaults() (uint64, error) { return 0, errNotLinux }

// TouchFresh needs Linux.
func TouchFresh(int) (vm.TouchReport, error) { return vm.TouchReport{}, errNotLinux }

// DropPages needs Linux.
func DropPages(int) (vm.DropReport, error) { return vm.DropReport{}, errNotLinux }

// ProtectFault needs Linux.
func ProtectFault(int, byte) (vm.FaultReport, error) { return vm.FaultReport{}, errNotLinux }

// BusPastEOF needs Linux.
func BusPastEOF(string, int) (vm.FaultReport, error) { return vm.FaultReport{}, errNotLinux }

// PrivateVsShared needs Linux.
func PrivateVsShared(string) (vm.FileMapReport, error) { return vm.FileMapReport{}, errNotLinux }

// HugePage needs Linux.
func HugePage() (vm.HugeReport, error) { return vm.HugeReport{}, errNotLinux }
