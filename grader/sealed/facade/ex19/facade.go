// Package linuxlab (in folder ex19) stands in for exercise 19-linux-lab's
// package when the judge is built: the same exported names, each
// forwarding to the learner's package in the subject process. The grader's
// build swaps it in for the learner's files (go test -overlay), so the
// exercise's own test file runs its specs against the learner's code
// without containing it.
//
// The lab's observations must be made where the learner's code runs, so
// the specs' trusted rig (grader/sealed/labrig) runs in the subject process
// too, served beside the learner's functions: this package hands the specs
// a rig that calls it there (labspec.UseRig), and the specs check what the
// learner's code reports against what that rig reads from the kernel.
package linuxlab

import (
	"github.com/vmkata/vmkata/grader/sealed/judge"
	"github.com/vmkata/vmkata/specs/labspec"
	"github.com/vmkata/vmkata/vm"
)

// The bounds the contract fixes.
const (
	MaxTouchPages = 256
	HugeSize      = 2 << 20
)

var (
	ParseMaps       = judge.Func[func(string) ([]vm.LinuxVMA, error)]("ParseMaps")
	ParseSmaps      = judge.Func[func(string) ([]vm.LinuxVMA, error)]("ParseSmaps")
	Classify        = judge.Func[func(vm.LinuxVMA) vm.RegionKind]("Classify")
	ReadSmaps       = judge.Func[func(int) ([]vm.LinuxVMA, error)]("ReadSmaps")
	MinorFaults     = judge.Func[func() (uint64, error)]("MinorFaults")
	TouchFresh      = judge.Func[func(int) (vm.TouchReport, error)]("TouchFresh")
	DropPages       = judge.Func[func(int) (vm.DropReport, error)]("DropPages")
	ProtectFault    = judge.Func[func(int, byte) (vm.FaultReport, error)]("ProtectFault")
	BusPastEOF      = judge.Func[func(string, int) (vm.FaultReport, error)]("BusPastEOF")
	PrivateVsShared = judge.Func[func(string) (vm.FileMapReport, error)]("PrivateVsShared")
	HugePage        = judge.Func[func() (vm.HugeReport, error)]("HugePage")
)

func init() { labspec.UseRig(subjectRig{}) }

// subjectRig is the specs' rig in the subject process (see package labrig,
// and the names subject19 serves it under).
type subjectRig struct{}

var (
	rigSupported    = judge.Func[func() string]("rig.Supported")
	rigPid          = judge.Func[func() int]("rig.Pid")
	rigMaps         = judge.Func[func() (string, error)]("rig.Maps")
	rigSmaps        = judge.Func[func(int) (string, error)]("rig.Smaps")
	rigMinorFaults  = judge.Func[func() (uint64, error)]("rig.MinorFaults")
	rigRead         = judge.Func[func(vm.VAddr, int) ([]byte, error)]("rig.Read")
	rigReadFile     = judge.Func[func(string, int) ([]byte, error)]("rig.ReadFile")
	rigFileSize     = judge.Func[func(string) (int64, error)]("rig.FileSize")
	rigUnmap        = judge.Func[func(vm.VAddr, uint64) error]("rig.Unmap")
	rigTempDir      = judge.Func[func() (string, error)]("rig.TempDir")
	rigTHP          = judge.Func[func() string]("rig.THP")
	rigTHPFallbacks = judge.Func[func() uint64]("rig.THPFallbacks")
	rigPanicOnFault = judge.Func[func() bool]("rig.PanicOnFault")
	rigFork         = judge.Func[func(int) (int, vm.VAddr, error)]("rig.Fork")
	rigChildWrite   = judge.Func[func(int) error]("rig.ChildWrite")
	rigEndChild     = judge.Func[func(int) error]("rig.EndChild")
)

func (subjectRig) Supported() string                           { return rigSupported() }
func (subjectRig) Pid() int                                    { return rigPid() }
func (subjectRig) Maps() (string, error)                       { return rigMaps() }
func (subjectRig) Smaps(pid int) (string, error)               { return rigSmaps(pid) }
func (subjectRig) MinorFaults() (uint64, error)                { return rigMinorFaults() }
func (subjectRig) Read(a vm.VAddr, n int) ([]byte, error)      { return rigRead(a, n) }
func (subjectRig) ReadFile(path string, n int) ([]byte, error) { return rigReadFile(path, n) }
func (subjectRig) FileSize(path string) (int64, error)         { return rigFileSize(path) }
func (subjectRig) Unmap(a vm.VAddr, n uint64) error            { return rigUnmap(a, n) }
func (subjectRig) TempDir() (string, error)                    { return rigTempDir() }
func (subjectRig) THP() string                                 { return rigTHP() }
func (subjectRig) THPFallbacks() uint64                        { return rigTHPFallbacks() }
func (subjectRig) PanicOnFault() bool                          { return rigPanicOnFault() }
func (subjectRig) Fork(pages int) (int, vm.VAddr, error)       { return rigFork(pages) }
func (subjectRig) ChildWrite(pid int) error                    { return rigChildWrite(pid) }
func (subjectRig) EndChild(pid int) error                      { return rigEndChild(pid) }
