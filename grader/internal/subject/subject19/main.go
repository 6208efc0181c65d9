// Command subject19 is the subject process of exercise 19-linux-lab: it
// serves the learner's package to the judge (see package subject), and
// beside it the specs' trusted rig, which reads the kernel from inside this
// same process (see grader/sealed/labrig).
package main

import (
	ex "github.com/vmkata/vmkata/exercises/19-linux-lab"
	"github.com/vmkata/vmkata/grader/internal/subject"
	"github.com/vmkata/vmkata/grader/sealed/labrig"
)

func main() {
	var r labrig.Local
	subject.Serve(map[string]any{
		"ParseMaps":       ex.ParseMaps,
		"ParseSmaps":      ex.ParseSmaps,
		"Classify":        ex.Classify,
		"ReadSmaps":       ex.ReadSmaps,
		"MinorFaults":     ex.MinorFaults,
		"TouchFresh":      ex.TouchFresh,
		"DropPages":       ex.DropPages,
		"ProtectFault":    ex.ProtectFault,
		"BusPastEOF":      ex.BusPastEOF,
		"PrivateVsShared": ex.PrivateVsShared,
		"HugePage":        ex.HugePage,

		"rig.Supported":    r.Supported,
		"rig.Pid":          r.Pid,
		"rig.Maps":         r.Maps,
		"rig.Smaps":        r.Smaps,
		"rig.MinorFaults":  r.MinorFaults,
		"rig.Read":         r.Read,
		"rig.ReadFile":     r.ReadFile,
		"rig.FileSize":     r.FileSize,
		"rig.Unmap":        r.Unmap,
		"rig.TempDir":      r.TempDir,
		"rig.THP":          r.THP,
		"rig.THPFallbacks": r.THPFallbacks,
		"rig.PanicOnFault": r.PanicOnFault,
		"rig.Fork":         r.Fork,
		"rig.ChildWrite":   r.ChildWrite,
		"rig.EndChild":     r.EndChild,
	})
}
