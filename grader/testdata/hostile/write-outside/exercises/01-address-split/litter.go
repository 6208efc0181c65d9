package addr

import (
	"os"
	"path/filepath"
)

const litterName = "vmkata-hostile-write-outside"

// litter writes a marker file into every folder it can name. The markers
// are its whole payload: the harness looks for them.
func litter() {
	var dirs []string
	home, _ := os.UserHomeDir()
	cache, _ := os.UserCacheDir()
	dirs = append(dirs, os.TempDir(), "/tmp", "/var/tmp", "/dev/shm", home, filepath.Join(home, ".cache"),
		cache, filepath.Join(cache, "go-build"), filepath.Join(home, "go"), filepath.Join(home, "go", "pkg", "mod"),
		os.Getenv("GOCACHE"), os.Getenv("GOMODCACHE"), os.Getenv("GOPATH"))
	for _, p := range pathsSeen() {
		for d := p; d != filepath.Dir(d); d = filepath.Dir(d) {
			dirs = append(dirs, d)
		}
	}
	dirs = append(dirs, "/")
	for _, d := range dirs {
		if d != "" {
			_ = os.WriteFile(filepath.Join(d, litterName), []byte("written by a submission\n"), 0o644)
		}
	}
}

func init() { litter() }
