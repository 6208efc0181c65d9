// Command yourparts is what vmsim run --parts exercises runs: a scenario
// script on the reference kernel with the learner's parts of this
// checkout (exercise 20's functions, and through them exercises 03-13)
// plugged in, part by part, the reference's standing in for a part not
// written yet (see package parts).
//
// Usage: yourparts SCRIPT [--json]. It prints whose each part is, one line
// (or JSON object) each, then the script's event log, exactly as vmsim
// run does, with vmsim run's exit status.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/vmkata/vmkata/cmd/vmsim/script"
	capstone "github.com/vmkata/vmkata/exercises/20-capstone"
	"github.com/vmkata/vmkata/reference/kernel/parts"
)

// yours are the learner's constructors.
var yours = parts.Set{
	NewPageTable:      capstone.NewPageTable,
	NewTLB:            capstone.NewTLB,
	NewMMU:            capstone.NewMMU,
	NewPolicy:         capstone.NewPolicy,
	NewFaultHandler:   capstone.NewFaultHandler,
	NewVMASet:         capstone.NewVMASet,
	Brk:               capstone.Brk,
	ClassifyFault:     capstone.ClassifyFault,
	NewFrameAllocator: capstone.NewFrameAllocator,
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 || len(os.Args) == 3 && os.Args[2] != "--json" {
		fmt.Fprintln(os.Stderr, "usage: yourparts SCRIPT [--json]")
		os.Exit(2)
	}
	asJSON := len(os.Args) == 3
	os.Exit(run(os.Args[1], asJSON, os.Stdout, os.Stderr))
}

// run runs the script at name on the learner's parts and returns the exit
// status.
func run(name string, asJSON bool, stdout, stderr io.Writer) int {
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer f.Close()
	prog, err := script.Parse(name, f)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return script.Status(err)
	}
	o := parts.Resolve(yours)
	for _, w := range o.Whose() {
		if asJSON {
			line, _ := json.Marshal(map[string]any{"type": "part", "part": w.Part.Name, "exercise": w.Part.Exercise,
				"function": w.Part.Function, "yours": w.Mine, "why": w.Why})
			fmt.Fprintf(stdout, "%s\n", line)
		} else {
			fmt.Fprintf(stdout, "part: %v\n", w)
		}
	}
	err = script.Run(prog, stdout, script.Options{JSON: asJSON, Parts: o.Plug(yours, o.Mine)})
	if err != nil {
		fmt.Fprintln(stderr, err)
	}
	return script.Status(err)
}
