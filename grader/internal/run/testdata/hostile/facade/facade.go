// Package hostile (in folder facade) stands in for the hostile package in
// its judge.
package hostile

import "github.com/vmkata/vmkata/grader/sealed/judge"

var (
	Works  = judge.Func[func() int]("Works")
	Panics = judge.Func[func() int]("Panics")
	Hangs  = judge.Func[func() int]("Hangs")
	Exits  = judge.Func[func() int]("Exits")
	Hoards = judge.Func[func() int]("Hoards")
)
