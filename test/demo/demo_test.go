// Package demo_test runs `make demo`'s program (hack/demo) the way CI and
// people do: to the end with DEMO_EXIT_WHEN_READY=1, interrupted with Ctrl-C,
// and killed outright, checking each time that no manager, kube-apiserver or
// etcd is left behind.
package demo_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// repoRoot is the checkout's top directory; the demo runs from there.
var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

// demoBin is hack/demo built once for all tests (TestMain).
var demoBin string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run()) // every test skips itself
	}
	dir, err := os.MkdirTemp("", "pco-demo-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	demoBin = filepath.Join(dir, "demo")
	build := exec.Command("go", "build", "-o", demoBin, "./hack/demo")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building hack/demo: %v\n%s", err, out)
		_ = os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// demoRun is one running demo with its output.
type demoRun struct {
	t    *testing.T
	dir  string
	cmd  *exec.Cmd
	out  *testenv.SyncBuffer
	done chan struct{}
}

// startDemo runs the demo with a private DEMO_DIR and the given environment.
func startDemo(t *testing.T, env ...string) *demoRun {
	t.Helper()
	if testing.Short() {
		t.Skip("the demo starts a control plane; skipped with -short")
	}
	d := &demoRun{t: t, dir: t.TempDir(), out: &testenv.SyncBuffer{}, done: make(chan struct{})}
	d.cmd = exec.Command(demoBin)
	d.cmd.Dir = repoRoot
	d.cmd.Env = append(append(os.Environ(), "DEMO_DIR="+d.dir), env...)
	d.cmd.Stdout, d.cmd.Stderr = d.out, d.out
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = d.cmd.Wait()
		close(d.done)
	}()
	t.Cleanup(func() {
		_ = d.cmd.Process.Kill() // no-op once it has exited
		<-d.done
	})
	return d
}

// waitForOutput waits until the demo printed s.
func (d *demoRun) waitForOutput(s string, timeout time.Duration) {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(d.out.String(), s) {
		select {
		case <-d.done:
			d.t.Fatalf("the demo exited before printing %q:\n%s", s, d.out)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("the demo did not print %q within %s:\n%s", s, timeout, d.out)
		}
	}
}

// wait waits for the demo to exit and returns its exit code.
func (d *demoRun) wait(timeout time.Duration) int {
	d.t.Helper()
	select {
	case <-d.done:
		return d.cmd.ProcessState.ExitCode()
	case <-time.After(timeout):
		d.t.Fatalf("the demo did not exit within %s:\n%s", timeout, d.out)
		return -1
	}
}

// requireNoProcessLeft fails when a process started by this demo run (the
// manager binary and the guarded kube-apiserver and etcd all run from
// DEMO_DIR) is still alive after the grace period.
func (d *demoRun) requireNoProcessLeft(grace time.Duration) {
	d.t.Helper()
	if runtime.GOOS != "linux" {
		d.t.Log("process check needs /proc; skipped on " + runtime.GOOS)
		return
	}
	deadline := time.Now().Add(grace)
	for {
		left := processesMentioning(d.dir)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("processes left behind after %s:\n%s", grace, strings.Join(left, "\n"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// processesMentioning lists the live processes whose command line contains s.
func processesMentioning(s string) []string {
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var found []string
	for _, path := range cmdlines {
		raw, err := os.ReadFile(path)
		if err != nil || len(raw) == 0 {
			continue // gone, or a zombie with no command line
		}
		if line := string(bytes.ReplaceAll(raw, []byte{0}, []byte{' '})); strings.Contains(line, s) {
			found = append(found, filepath.Base(filepath.Dir(path))+": "+line)
		}
	}
	return found
}

// TestExitWhenReady is `DEMO_EXIT_WHEN_READY=1 make demo` as CI runs it:
// every sample becomes Ready, the invalid sample is refused with its rule,
// the manager announces the simulator, the summary says how to explore, and
// nothing is left running.
func TestExitWhenReady(t *testing.T) {
	d := startDemo(t, "DEMO_EXIT_WHEN_READY=1", "DEMO_TIMEOUT=90s")
	if code := d.wait(3 * time.Minute); code != 0 {
		t.Fatalf("the demo exited %d, want 0:\n%s", code, d.out)
	}
	out := d.out.String()
	for _, want := range []string{
		"refused, as it should be",
		"C6: a company in TR needs",
		"every sample is Ready",
		"acceptance link for Maria Silva", // M11: the partner attestation's link is printed
		wire.AcceptanceURLBase,
		"status.backend: Simulated)",
		"export KUBECONFIG=" + filepath.Join(d.dir, "kubeconfig"),
		"stopped the manager",
		"stopped kube-apiserver and etcd",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	log, err := os.ReadFile(filepath.Join(d.dir, "manager.log"))
	if err != nil || !strings.Contains(string(log), "BUILT-IN PARTNER CENTER SIMULATOR") {
		t.Errorf("the manager's log does not announce the built-in simulator (err %v)", err)
	}
	d.requireNoProcessLeft(0)
}

// TestCtrlCStopsEverything interrupts a running demo as Ctrl-C does: it
// stops the manager, kube-apiserver and etcd, exits 0 and leaves nothing.
func TestCtrlCStopsEverything(t *testing.T) {
	d := startDemo(t)
	d.waitForOutput("watching the samples", 2*time.Minute)
	if err := d.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := d.wait(time.Minute); code != 0 {
		t.Fatalf("after Ctrl-C the demo exited %d, want 0:\n%s", code, d.out)
	}
	for _, want := range []string{"stopped the manager", "stopped kube-apiserver and etcd"} {
		if !strings.Contains(d.out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, d.out)
		}
	}
	d.requireNoProcessLeft(0)
}

// TestChildrenDieWithTheDemo kills the demo outright (SIGKILL, no cleanup
// possible): the kernel must end its manager, kube-apiserver and etcd.
func TestChildrenDieWithTheDemo(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the parent-death guard is Linux-only")
	}
	d := startDemo(t)
	d.waitForOutput("watching the samples", 2*time.Minute)
	if len(processesMentioning(d.dir)) < 3 {
		t.Fatalf("want the manager, kube-apiserver and etcd running from %s, found %q", d.dir, processesMentioning(d.dir))
	}
	if err := d.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	d.wait(10 * time.Second)
	d.requireNoProcessLeft(10 * time.Second)
}
