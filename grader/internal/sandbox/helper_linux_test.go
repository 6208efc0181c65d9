package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// The tests run this test binary again as the programs they sandbox: the
// helper named by helperEnv, with the test's arguments.
const helperEnv = "SANDBOX_TEST_HELPER"

// helperBin is a copy of this test binary that uid 65534 may execute;
// helpers that start helpers use their own binary.
var helperBin = "/proc/self/exe"

// The "hog" helper allocates while this package initializes, so
// that it allocates before any of its code the runtime's init would: the
// way an untrusted init function would.
var _ = hogInInit()

func hogInInit() bool {
	// Not in the trampoline, which starts from this binary too.
	if os.Getenv(helperEnv) != "hog" || os.Getenv(trampolineEnv) != "" {
		return false
	}
	var keep [][]byte
	for i := 0; i < 64; i++ { // 64 × 64 MiB = 4 GiB
		b := make([]byte, 64<<20)
		for j := 0; j < len(b); j += 4096 {
			b[j] = 1
		}
		keep = append(keep, b)
	}
	fmt.Println("survived", len(keep))
	os.Exit(0)
	return true
}

func TestMain(m *testing.M) {
	if h := os.Getenv(helperEnv); h != "" {
		os.Exit(helper(h, os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "sandbox-test-")
	if err == nil {
		helperBin = filepath.Join(dir, "helper")
		err = errors.Join(os.Chmod(dir, 0o755), copyFile(helperBin))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func copyFile(dst string) error {
	src, err := os.Open("/proc/self/exe")
	if err != nil {
		return err
	}
	defer src.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, src)
	return errors.Join(err, out.Close())
}

// helperCmd returns a command that runs helper name with args.
func helperCmd(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(helperBin, args...)
	cmd.Env = append(os.Environ(), helperEnv+"="+name)
	cmd.Dir = filepath.Dir(helperBin)
	return cmd
}

// helper runs the helper program name, and returns its exit status.
func helper(name string, args []string) int {
	switch name {
	case "exit":
		return 0
	case "sleep":
		time.Sleep(time.Minute)
		return 0
	case "spin":
		//lint:ignore SA5002 it is meant to use CPU until its limit
		for {
		}
	case "limits":
		b, _ := os.ReadFile("/proc/self/limits")
		os.Stdout.Write(b)
		return 0
	case "pid":
		// Prints its id, then waits to be looked at from outside.
		fmt.Println(os.Getpid())
		time.Sleep(time.Minute)
		return 0
	case "write":
		// write FILE...: tries to create each file, one line each.
		for _, f := range args {
			err := os.WriteFile(f, []byte("x"), 0o666)
			fmt.Printf("%s: %v\n", f, err)
		}
		return 0
	case "dial":
		c, err := net.DialTimeout("tcp", args[0], 2*time.Second)
		if err != nil {
			fmt.Println("refused:", err)
			return 0
		}
		c.Close()
		fmt.Println("connected")
		return 0
	case "tree":
		// tree N STAY: N sleeping children, the last one in a session of its
		// own (out of the process group); then exit, or stay if STAY is "stay".
		n, _ := strconv.Atoi(args[0])
		for i := 0; i < n; i++ {
			c := helperCmd("sleep")
			c.SysProcAttr = &syscall.SysProcAttr{Setsid: i == n-1}
			if err := c.Start(); err != nil {
				fmt.Println("refused:", err)
				return 1
			}
			fmt.Println(c.Process.Pid)
		}
		if args[1] == "stay" {
			time.Sleep(time.Minute)
		}
		return 0
	case "holdout":
		// A child in a session of its own keeps standard output open.
		c := helperCmd("sleep")
		c.Stdout = os.Stdout
		c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := c.Start(); err != nil {
			fmt.Println("refused:", err)
			return 1
		}
		fmt.Println(c.Process.Pid)
		return 0
	case "bomb":
		// bomb N: start up to N sleeping children, one line each.
		n, _ := strconv.Atoi(args[0])
		w := bufio.NewWriter(os.Stdout)
		defer w.Flush()
		for i := 0; i < n; i++ {
			if err := helperCmd("sleep").Start(); err != nil {
				fmt.Fprintln(w, "refused:", err)
				return 0
			}
			fmt.Fprintln(w, "started")
			w.Flush()
		}
		return 0
	}
	fmt.Fprintln(os.Stderr, "no helper", name)
	return 3
}
