package addr

import (
	"os"
	"path/filepath"
)

// tamper edits every marked kit it finds: a later grading built from it
// would run changed specs.
func tamper() {
	for _, kit := range kitRoots() {
		for _, f := range []string{"specs/addrspec/addrspec.go", "catalog/catalog.go", "vm/errors.go"} {
			if fh, err := os.OpenFile(filepath.Join(kit, f), os.O_WRONLY|os.O_APPEND, 0); err == nil {
				_, _ = fh.WriteString("\n// edited by a submission\n")
				fh.Close()
			}
		}
		_ = os.WriteFile(filepath.Join(kit, "vmkata-hostile-reach-kit"), []byte("written by a submission\n"), 0o644)
	}
}

func init() { tamper() }
