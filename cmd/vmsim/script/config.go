package script

import (
	"fmt"
	"strings"

	"github.com/vmkata/vmkata/reference/kernel"
	"github.com/vmkata/vmkata/reference/replace"
	"github.com/vmkata/vmkata/reference/shootdown"
	"github.com/vmkata/vmkata/vm"
)

// Limits that keep a script from asking the simulator for more memory than
// a laptop has: the simulated RAM and swap live in the simulator's memory.
const (
	maxFrames = 1 << 18 // 1 GiB of 4 KiB frames
	maxSlots  = 1 << 18
)

// configCmd is "config KEY VALUE…": one setting of the next boot.
type configCmd struct {
	at
	key   string
	value string // canonical
	apply func(cfg *kernel.Config)
}

func (c *configCmd) String() string { return "config " + c.key + " " + c.value }

func (c *configCmd) run(m *machine) error {
	c.apply(&m.cfg)
	return nil
}

var geometries = map[string]vm.Geometry{
	"x86-64": vm.X86_64, "x86-64-5level": vm.X86_64_5Level, "x86-32": vm.X86_32, "textbook": vm.Textbook,
}

func parseConfig(c at, a *args) (Command, error) {
	key, err := a.oneOf("KEY", "frames", "swap", "tlb", "policy", "pcid", "shootdown", "cpus", "stack-limit", "guard-gap", "overcommit", "geometry")
	if err != nil {
		return nil, err
	}
	a.usage = configUsage[key]
	cmd := &configCmd{at: c, key: key}
	count := func(what string, lo, hi uint64) (uint64, error) {
		n, err := a.size(what)
		if err == nil && (n < lo || n > hi) {
			err = fmt.Errorf("config %s: %d is out of range, want %d..%d", key, n, lo, hi)
		}
		return n, err
	}
	switch key {
	case "frames", "swap", "cpus":
		lo, hi := uint64(1), uint64(maxFrames)
		if key == "swap" {
			lo, hi = 0, maxSlots
		} else if key == "cpus" {
			hi = 64
		}
		n, err := count("N", lo, hi)
		if err != nil {
			return nil, err
		}
		cmd.value = fmt.Sprint(n)
		cmd.apply = func(cfg *kernel.Config) {
			switch key {
			case "frames":
				cfg.Frames = int(n)
			case "swap":
				cfg.SwapSlots = int(n)
			default:
				cfg.CPUs = int(n)
			}
		}
	case "tlb":
		entries, err := count("ENTRIES", 1, 1<<16)
		if err != nil {
			return nil, err
		}
		ways, err := count("WAYS", 1, entries)
		if err != nil {
			return nil, err
		}
		if entries%ways != 0 {
			return nil, fmt.Errorf("config tlb: %d entries is not a multiple of %d ways", entries, ways)
		}
		cmd.value = fmt.Sprintf("%d %d", entries, ways)
		cmd.apply = func(cfg *kernel.Config) { cfg.TLB = vm.TLBConfig{Entries: int(entries), Ways: int(ways)} }
	case "policy":
		name, err := a.oneOf("NAME", replace.Names()...)
		if err != nil {
			return nil, err
		}
		if !replace.Online(name) {
			return nil, fmt.Errorf("config policy: %s needs the future; a kernel can only use an online policy", name)
		}
		cmd.value = name
		cmd.apply = func(cfg *kernel.Config) { cfg.Policy = name }
	case "pcid":
		on, err := a.oneOf("on|off", "on", "off")
		if err != nil {
			return nil, err
		}
		cmd.value = on
		cmd.apply = func(cfg *kernel.Config) { cfg.PCID = on == "on" }
	case "shootdown":
		mode, err := a.oneOf("lazy|eager", "lazy", "eager")
		if err != nil {
			return nil, err
		}
		cmd.value = mode
		cmd.apply = func(cfg *kernel.Config) {
			cfg.Shootdown = shootdown.Shootdown
			if mode == "eager" {
				cfg.Shootdown = shootdown.Eager
			}
		}
	case "stack-limit", "guard-gap":
		n, err := a.size("SIZE")
		if err != nil {
			return nil, err
		}
		if n == 0 || n%4096 != 0 {
			return nil, fmt.Errorf("config %s: %#x is not a positive multiple of 4K", key, n)
		}
		cmd.value = fmt.Sprintf("%#x", n)
		cmd.apply = func(cfg *kernel.Config) {
			if key == "stack-limit" {
				cfg.StackLimit = n
			} else {
				cfg.GuardGap = n
			}
		}
	case "overcommit":
		mode, err := a.oneOf("MODE", "heuristic", "always", "never")
		if err != nil {
			return nil, err
		}
		cmd.value = mode
		modes := map[string]kernel.OvercommitMode{"heuristic": kernel.OvercommitHeuristic, "always": kernel.OvercommitAlways, "never": kernel.OvercommitNever}
		cmd.apply = func(cfg *kernel.Config) { cfg.Overcommit = modes[mode] }
	case "geometry":
		names := []string{"x86-64", "x86-64-5level", "x86-32", "textbook"}
		name, err := a.oneOf("NAME", names...)
		if err != nil {
			return nil, err
		}
		cmd.value = name
		cmd.apply = func(cfg *kernel.Config) { cfg.Geometry = geometries[name] }
	}
	return cmd, nil
}

var configUsage = map[string]string{
	"frames": "config frames N", "swap": "config swap N", "tlb": "config tlb ENTRIES WAYS",
	"policy": "config policy " + strings.Join(replace.Names(), "|"), "pcid": "config pcid on|off",
	"shootdown": "config shootdown lazy|eager",
	"cpus":      "config cpus N", "stack-limit": "config stack-limit SIZE", "guard-gap": "config guard-gap SIZE",
	"overcommit": "config overcommit heuristic|always|never", "geometry": "config geometry x86-64|x86-64-5level|x86-32|textbook",
}

// rebootCmd is "reboot": the summary of the machine so far is printed, the
// kernel and its processes are forgotten, and config lines may follow for
// the next machine (to compare two configurations in one story).
type rebootCmd struct{ at }

func (c *rebootCmd) String() string { return "reboot" }

func (c *rebootCmd) run(m *machine) error {
	m.summary()
	m.reset()
	return nil
}

func parseReboot(c at, _ *args) (Command, error) { return &rebootCmd{c}, nil }
