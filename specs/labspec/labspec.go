// Package labspec is the behaviour of exercise 19, the Linux lab, written
// once and run against any implementation: the reference
// (reference/linuxlab) and a learner's package.
//
// Register it at package level in a _test.go file of the package under
// test, next to the usual Ginkgo bootstrap:
//
//	var _ = labspec.Describe("reference", labspec.Lab{ParseMaps: linuxlab.ParseMaps, …})
//
// The parsers are held to the reference's output on textbook and tricky
// lines, on any system. The experiments run on the real kernel, and every
// one of their specs checks what the code under test reports against what
// the kernel itself shows to the trusted rig (package grader/sealed/labrig), read in the
// same process: the rig's own /proc readings, the bytes of memory and
// files, its own fault counter taken before and after. Each spec names the
// kernel behaviour it relies on, and skips, never passes, with the reason
// when this machine cannot show it (another system, no /proc/self/smaps,
// transparent huge pages turned off).
//
// Every spec carries "points:N", the topic label "topic:linux" and one
// "rule:19.name" label per rule it checks; the one random property (the
// parsers against the reference on random texts) carries "property"
// instead: a second net, never the only spec of a rule.
package labspec

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/vmkata/vmkata/grader/sealed/labrig"
	_ "github.com/vmkata/vmkata/specs/internal/color" // Ginkgo without colour where it is not wanted
	"github.com/vmkata/vmkata/specs/internal/speclabel"
	"github.com/vmkata/vmkata/vm"
)

// Lab is the exercise's API, one field per function (see
// reference/linuxlab for each one's contract).
type Lab struct {
	ParseMaps       func(text string) ([]vm.LinuxVMA, error)
	ParseSmaps      func(text string) ([]vm.LinuxVMA, error)
	Classify        func(v vm.LinuxVMA) vm.RegionKind
	ReadSmaps       func(pid int) ([]vm.LinuxVMA, error)
	MinorFaults     func() (uint64, error)
	TouchFresh      func(pages int) (vm.TouchReport, error)
	DropPages       func(pages int) (vm.DropReport, error)
	ProtectFault    func(offset int, value byte) (vm.FaultReport, error)
	BusPastEOF      func(dir string, size int) (vm.FaultReport, error)
	PrivateVsShared func(dir string) (vm.FileMapReport, error)
	HugePage        func() (vm.HugeReport, error)
}

// Rig is the trusted code the specs read the kernel with, in the process
// the code under test runs in (see package labrig, whose Local is the rig of
// the calling process).
type Rig interface {
	Supported() string // "" when the rig can run here, or why not
	Pid() int
	Maps() (string, error)
	Smaps(pid int) (string, error)
	MinorFaults() (uint64, error)
	Read(addr vm.VAddr, n int) ([]byte, error)
	ReadFile(path string, n int) ([]byte, error)
	FileSize(path string) (int64, error)
	Unmap(addr vm.VAddr, n uint64) error
	TempDir() (string, error)
	THP() string
	THPFallbacks() uint64
	PanicOnFault() bool
	Fork(pages int) (int, vm.VAddr, error)
	ChildWrite(pid int) error
	EndChild(pid int) error
}

// theRig is the rig the specs use: the test process's own, unless the
// sealed grader's judge put the subject process's in its place.
var theRig Rig = labrig.Local{}

// UseRig makes the specs read the kernel through r. The judge calls it
// (from the facade of exercise 19) before the specs run, with a rig that
// runs in the subject process, where the learner's code runs.
func UseRig(r Rig) { theRig = r }

// Describe declares the Linux lab's behaviour for lab. Call it at package
// level in a _test.go file.
func Describe(name string, lab Lab) bool {
	return ginkgo.Describe("Linux lab ["+name+"]", ginkgo.Label("topic:linux"), func() {
		describeParsers(lab)
		describeProperty(lab)
		describeKernel(lab)
	})
}

// rules returns the labels of a spec worth pts points that checks the
// named rules of exercise 19.
func rules(pts int, names ...string) ginkgo.Labels {
	return speclabel.Rules(pts, "rule:19.", names...)
}
