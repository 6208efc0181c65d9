// Package integrity checks that an exercise's own code stands on its own:
// that neither it nor anything it imports (directly or through other
// packages) is one of the kit's answer packages (the reference or the
// specs). Test files are not considered; they are the kit's.
package integrity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// Options say how to run "go list".
type Options struct {
	Root    string   // module root
	Go      string   // go command
	Tags    []string // build tags
	Overlay string   // an -overlay file, or ""
}

// Violation is a forbidden dependency and the import chain that reaches it.
type Violation struct {
	Chain []string // import paths, from the exercise to the forbidden package
}

func (v *Violation) Error() string {
	return fmt.Sprintf("it depends on %s (%s)", v.Chain[len(v.Chain)-1], strings.Join(v.Chain, " imports "))
}

// Check returns the first forbidden dependency of pkg (a package whose
// import path starts with one of the prefixes), or nil. The error is for
// when go list itself fails to run; a package that does not compile is
// left for the build to report.
func Check(ctx context.Context, opt Options, pkg string, forbidden []string) (*Violation, error) {
	args := []string{"list", "-e", "-deps", "-json=ImportPath,Imports"}
	if len(opt.Tags) > 0 {
		args = append(args, "-tags", strings.Join(opt.Tags, ","))
	}
	if opt.Overlay != "" {
		args = append(args, "-overlay", opt.Overlay)
	}
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, opt.Go, args...)
	cmd.Dir = opt.Root
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return nil, nil // e.g. a syntax error: the build will say it better
		}
		return nil, fmt.Errorf("integrity: go list: %w", err)
	}
	imports := map[string][]string{}
	dec := json.NewDecoder(&out)
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("integrity: reading go list output: %w", err)
		}
		imports[p.ImportPath] = p.Imports
	}
	return search(pkg, imports, forbidden), nil
}

// search walks the import graph breadth first from pkg, so the chain it
// reports is a shortest one.
func search(pkg string, imports map[string][]string, forbidden []string) *Violation {
	prev := map[string]string{pkg: ""}
	queue := []string{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p != pkg && isForbidden(p, forbidden) {
			var chain []string
			for q := p; q != ""; q = prev[q] {
				chain = append([]string{q}, chain...)
			}
			return &Violation{Chain: chain}
		}
		for _, q := range imports[p] {
			if _, seen := prev[q]; !seen {
				prev[q] = p
				queue = append(queue, q)
			}
		}
	}
	return nil
}

func isForbidden(p string, forbidden []string) bool {
	for _, f := range forbidden {
		if p == f || strings.HasPrefix(p, f+"/") {
			return true
		}
	}
	return false
}
