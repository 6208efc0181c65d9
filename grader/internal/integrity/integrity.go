// Package integrity decides whether a learner's package may be graded at
// all: it may import only the kit's vocabulary (vm), other exercise
// packages (themselves learner code, checked the same way) and the standard
// library but a deny-list; and its source may not use compiler
// directives or build constraints that change what is compiled or reach
// past the import check (//go:linkname, //go:embed, cgo). Test files are
// not considered: the grader never takes them from a learner.
package integrity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Options say how to run "go list".
type Options struct {
	Root    string   // module root (the throw-away copy holding the learner's files)
	Go      string   // go command
	Tags    []string // build tags
	Overlay string   // an -overlay file, or ""
}

// Policy is what learner packages may import.
type Policy struct {
	Module    string   // the kit's module path
	Learner   []string // module-relative prefixes of learner packages ("exercises")
	Shared    []string // module-relative packages any learner package may import ("vm")
	Forbidden []string // standard-library packages, or trees ending in "/...", learner packages may not import
	Allowed   []string // packages allowed all the same (outside the kit too)
}

// forbids reports whether the policy refuses the package at path.
func (p Policy) forbids(path string) bool {
	if slices.Contains(p.Allowed, path) {
		return false
	}
	for _, f := range p.Forbidden {
		if tree, ok := strings.CutSuffix(f, "/..."); ok && strings.HasPrefix(path, tree+"/") || path == f {
			return true
		}
	}
	return false
}

// Violation is a refused dependency and the import chain that reaches it,
// or a refused line of source.
type Violation struct {
	Chain  []string // import paths, from the exercise to the refused package
	Reason string   // why it is refused
}

func (v *Violation) Error() string {
	if len(v.Chain) == 0 {
		return v.Reason
	}
	if len(v.Chain) == 1 {
		return v.Reason
	}
	return fmt.Sprintf("%s (%s)", v.Reason, strings.Join(v.Chain, " imports "))
}

// pkgInfo is what go list says of one package.
type pkgInfo struct {
	ImportPath string
	Dir        string
	Standard   bool
	Imports    []string
	GoFiles    []string
	CgoFiles   []string
	// IgnoredGoFiles are the package's files this build leaves out (a
	// build constraint, a file name such as x_windows.go, cgo off).
	IgnoredGoFiles []string
	SFiles         []string
	Error          *struct{ Err string }
}

// Check returns the first refused dependency or source line of pkg and of
// every learner package it reaches, or nil. The error is for when go list
// itself cannot run or cannot load pkg: grading must then give no credit,
// never pass silently.
func Check(ctx context.Context, opt Options, pkg string, p Policy) (*Violation, error) {
	args := []string{"list", "-e", "-deps", "-json=ImportPath,Dir,Standard,Imports,GoFiles,CgoFiles,IgnoredGoFiles,SFiles,Error"}
	if len(opt.Tags) > 0 {
		args = append(args, "-tags", strings.Join(opt.Tags, ","))
	}
	if opt.Overlay != "" {
		args = append(args, "-overlay", opt.Overlay)
	}
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, opt.Go, args...)
	cmd.Dir = opt.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return nil, fmt.Errorf("go list %s failed: %s", pkg, strings.TrimSpace(errOut.String()))
		}
		return nil, fmt.Errorf("integrity: go list: %w", err)
	}
	pkgs := map[string]pkgInfo{}
	dec := json.NewDecoder(&out)
	for {
		var info pkgInfo
		if err := dec.Decode(&info); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("integrity: reading go list output: %w", err)
		}
		pkgs[info.ImportPath] = info
	}
	if _, ok := pkgs[pkg]; !ok {
		return nil, fmt.Errorf("go list did not report %s", pkg)
	}
	overlay, err := readOverlay(opt.Overlay)
	if err != nil {
		return nil, err
	}
	return search(pkg, pkgs, p, source{root: opt.Root, overlay: overlay}), nil
}

// source reads files as the build sees them: through the overlay.
type source struct {
	root    string
	overlay map[string]string // absolute path -> replacement file
}

func (s source) read(path string) ([]byte, error) {
	if r, ok := s.overlay[path]; ok {
		return os.ReadFile(r)
	}
	return os.ReadFile(path)
}

func readOverlay(file string) (map[string]string, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var o struct{ Replace map[string]string }
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("integrity: overlay %s: %w", file, err)
	}
	return o.Replace, nil
}

// search walks the learner packages breadth first from pkg, so the chain
// it reports is a shortest one, and checks each one's imports and source.
func search(pkg string, pkgs map[string]pkgInfo, p Policy, src source) *Violation {
	prev := map[string]string{pkg: ""}
	chain := func(to string) []string {
		var c []string
		for q := to; q != ""; q = prev[q] {
			c = append([]string{q}, c...)
		}
		return c
	}
	queue := []string{pkg}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		info := pkgs[cur]
		if info.Error != nil {
			// A package that does not load is for the build to report.
			continue
		}
		if len(info.CgoFiles) > 0 || len(info.SFiles) > 0 {
			return &Violation{Chain: chain(cur), Reason: fmt.Sprintf("%s uses cgo or assembly, which exercises may not", cur)}
		}
		for _, f := range info.IgnoredGoFiles {
			if !strings.HasSuffix(f, "_test.go") && f != "solution.go" {
				return &Violation{Chain: chain(cur), Reason: fmt.Sprintf("%s would not be compiled here (a build constraint, its file name, or cgo, which exercises may not use): what is graded must be all of what you wrote", f)}
			}
		}
		if v := scanSources(info, src); v != nil {
			v.Chain = chain(cur)
			return v
		}
		for _, q := range info.Imports {
			if _, seen := prev[q]; seen {
				continue
			}
			prev[q] = cur
			switch {
			case p.isLearner(q):
				queue = append(queue, q)
			case p.isShared(q), slices.Contains(p.Allowed, q):
			case q == p.Module || strings.HasPrefix(q, p.Module+"/"):
				return &Violation{Chain: chain(q), Reason: fmt.Sprintf("it depends on %s; exercises may import only %s/vm and the standard library", q, p.Module)}
			case pkgs[q].Standard || q == "C" || !strings.Contains(strings.Split(q, "/")[0], "."):
				if p.forbids(q) {
					return &Violation{Chain: chain(q), Reason: fmt.Sprintf("it imports %s, which exercises may not use (refused: %s)", q, strings.Join(p.Forbidden, ", "))}
				}
			default:
				return &Violation{Chain: chain(q), Reason: fmt.Sprintf("it depends on %s; exercises may import only %s/vm and the standard library", q, p.Module)}
			}
		}
	}
	return nil
}

func (p Policy) isLearner(path string) bool { return p.under(path, p.Learner) }
func (p Policy) isShared(path string) bool  { return p.under(path, p.Shared) }

func (p Policy) under(path string, rels []string) bool {
	for _, r := range rels {
		full := p.Module + "/" + r
		if path == full || strings.HasPrefix(path, full+"/") {
			return true
		}
	}
	return false
}

// refusedLine matches source lines that change what is compiled or reach
// past the import check. A build constraint is refused unless it is the
// one the stubs ship with.
var refusedLine = regexp.MustCompile(`^\s*//\s*(go:linkname|go:embed|go:cgo_\w+|go:build\b.*|\+build\b.*|export\b.*|line\b.*)|/\*(line\b.*?)\*/`)

// scanSources refuses compiler directives and build constraints in the
// package's files, with the file and line.
func scanSources(info pkgInfo, src source) *Violation {
	for _, name := range info.GoFiles {
		path := filepath.Join(info.Dir, name)
		data, err := src.read(path)
		if err != nil {
			return &Violation{Reason: fmt.Sprintf("cannot read %s: %v", name, err)}
		}
		rel, _ := filepath.Rel(src.root, path)
		for i, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
			m := refusedLine.FindStringSubmatch(line)
			if m == nil || strings.TrimSpace(m[1]) == "go:build !solution" {
				continue
			}
			directive := strings.TrimSpace(m[1] + m[2])
			return &Violation{Reason: fmt.Sprintf("%s:%d: the directive //%s is not allowed in exercises (it changes what is compiled, reaches code past the import check or misplaces failures)", filepath.ToSlash(rel), i+1, directive)}
		}
	}
	return nil
}
