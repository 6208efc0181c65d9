// Command gradescope writes the kit's Gradescope autograder: a zip holding
// the kit (hidden specs included) with Gradescope's setup.sh and
// run_autograder at its root.
//
//	go run ./delivery/gradescope [-o dist/gradescope.zip] [-exercise 04]
//
// Run it from the instructor's checkout of the kit (make gradescope does);
// the zip holds the files git tracks there, and those it would track
// (untracked files not ignored, such as hidden specs not yet committed).
// With -exercise, the autograder grades that exercise only: one Gradescope
// assignment per exercise.
package main

import (
	"archive/zip"
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/vmkata/vmkata/catalog"
)

var (
	//go:embed setup.sh
	setupScript []byte
	//go:embed run_autograder
	runScript []byte
)

func main() {
	flags := flag.NewFlagSet("gradescope", flag.ContinueOnError)
	out := flags.String("o", "dist/gradescope.zip", "the zip to write")
	exercise := flags.String("exercise", "", "grade only this exercise (ID, or its number: 04)")
	kit := flags.String("kit", ".", "the kit's root (holds go.mod)")
	if err := flags.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "gradescope: unexpected argument %q\n", flags.Arg(0))
		os.Exit(2)
	}
	if err := writeZipFile(*out, *kit, *exercise); err != nil {
		fmt.Fprintf(os.Stderr, "gradescope: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s: upload it as the assignment's autograder (Configure Autograder → Zip file upload)\n", *out)
}

// writeZipFile writes the autograder zip of the kit at root to out,
// creating out's folder.
func writeZipFile(out, root, exercise string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := writeZip(f, root, exercise); err != nil {
		f.Close()
		os.Remove(out)
		return err
	}
	return f.Close()
}

// writeZip writes the autograder zip of the kit at root: the kit's files,
// setup.sh and run_autograder at the root, and, when exercise is set,
// grader.args naming it.
func writeZip(w io.Writer, root, exercise string) error {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !bytes.Contains(mod, []byte("module "+catalog.Module+"\n")) {
		return fmt.Errorf("%s is not the kit's root (no go.mod declaring %s)", root, catalog.Module)
	}
	var args string
	if exercise != "" {
		e, ok := catalog.Find(exercise)
		if !ok {
			return fmt.Errorf("no exercise %q; run 'go run ./grader list'", exercise)
		}
		args = "--exercise\n" + e.ID + "\n"
	}
	files, err := kitFiles(root)
	if err != nil {
		return err
	}
	z := zip.NewWriter(w)
	own := map[string]bool{"setup.sh": true, "run_autograder": true, "grader.args": true}
	for _, name := range files {
		if own[name] {
			return fmt.Errorf("the kit has a file %s at its root, where the autograder's own goes", name)
		}
		if err := addFile(z, root, name); err != nil {
			return err
		}
	}
	if err := addBytes(z, "setup.sh", setupScript, 0o755); err != nil {
		return err
	}
	if err := addBytes(z, "run_autograder", runScript, 0o755); err != nil {
		return err
	}
	if args != "" {
		if err := addBytes(z, "grader.args", []byte(args), 0o644); err != nil {
			return err
		}
	}
	return z.Close()
}

// kitFiles lists, relative to root and slash-separated, the files git
// tracks in the kit and those it would track (untracked, not ignored),
// leaving out tracked files deleted from the working tree.
func kitFiles(root string) ([]string, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the kit's files with git ls-files (the kit must be a git checkout): %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var files []string
	seen := map[string]bool{}
	for _, name := range strings.Split(string(out), "\x00") {
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		info, err := os.Lstat(filepath.Join(root, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) || err == nil && !info.Mode().IsRegular() {
			continue
		}
		if err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	return files, nil
}

func addFile(z *zip.Writer, root, name string) error {
	p := filepath.Join(root, filepath.FromSlash(name))
	info, err := os.Stat(p)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	return addBytes(z, name, data, info.Mode().Perm())
}

func addBytes(z *zip.Writer, name string, data []byte, perm fs.FileMode) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(perm)
	w, err := z.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}
