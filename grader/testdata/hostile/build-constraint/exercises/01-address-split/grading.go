//go:build !solution && (linux || !darwin) && !vmkata_learner
// +build !solution
// +build linux !darwin
// +build !vmkata_learner

package addr

// graded is true only in the builds the grader makes.
var graded = true
