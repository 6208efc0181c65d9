// Package color turns Ginkgo's coloured output off where it would show as
// escape codes or is not wanted. Ginkgo colours its report unless
// GINKGO_NO_COLOR is set, and cannot tell whether the terminal takes colour
// (under go test its output is always a pipe); every spec package imports
// this one for its init function, which sets GINKGO_NO_COLOR
//   - when NO_COLOR is set (https://no-color.org), or TERM is "dumb";
//   - on Windows outside Windows Terminal and VS Code, whose consoles show
//     escape codes as text unless a program turns them on.
package color

import (
	"os"
	"runtime"
)

func init() {
	if off() {
		_ = os.Setenv("GINKGO_NO_COLOR", "TRUE")
	}
}

func off() bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return true
	}
	if os.Getenv("TERM") == "dumb" {
		return true
	}
	return runtime.GOOS == "windows" && os.Getenv("WT_SESSION") == "" && os.Getenv("TERM_PROGRAM") != "vscode"
}
