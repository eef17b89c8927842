package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// The control-plane binaries are started by envtest, which gives no hook to
// set their parent-death signal. So envtest starts this program instead,
// through links named after them (busybox style); it asks the kernel to kill
// it when the demo dies and then execs the real binary, which keeps the
// setting. Ctrl-C stops everything in order; this guard covers the demo being
// killed outright, so no kube-apiserver or etcd is ever left behind.
const (
	envRealAssets = "PCO_DEMO_REAL_ASSETS"
	envDemoPID    = "PCO_DEMO_PID"
)

// guardedProgramNames are the control-plane binaries started through the guard.
var guardedProgramNames = []string{"kube-apiserver", "etcd"}

// guardedBinaries returns the paths envtest should start kube-apiserver and
// etcd from: links to this program in dir/guard.
func guardedBinaries(assets, dir string) (apiserver, etcd string, err error) {
	self, err := os.Executable()
	if err != nil {
		return "", "", err
	}
	guardDir := filepath.Join(dir, "guard")
	if err := os.MkdirAll(guardDir, 0o755); err != nil {
		return "", "", err
	}
	for _, name := range guardedProgramNames {
		link := filepath.Join(guardDir, name)
		_ = os.Remove(link)
		if err := os.Symlink(self, link); err != nil {
			return "", "", err
		}
	}
	if err := os.Setenv(envRealAssets, assets); err != nil {
		return "", "", err
	}
	if err := os.Setenv(envDemoPID, strconv.Itoa(os.Getpid())); err != nil {
		return "", "", err
	}
	return filepath.Join(guardDir, "kube-apiserver"), filepath.Join(guardDir, "etcd"), nil
}

// execIfControlPlaneChild turns this process into the real control-plane
// binary when it was started through a guard link; otherwise it returns.
func execIfControlPlaneChild() {
	assets, name := os.Getenv(envRealAssets), filepath.Base(os.Args[0])
	if assets == "" || !slices.Contains(guardedProgramNames, name) {
		return
	}
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "demo guard:", err)
		os.Exit(1)
	}
	if strconv.Itoa(os.Getppid()) != os.Getenv(envDemoPID) {
		os.Exit(1) // the demo ended before the signal was armed
	}
	real := filepath.Join(assets, name)
	// argv[0] stays the guard link, so ps shows whose control plane it is.
	err := syscall.Exec(real, os.Args, os.Environ())
	fmt.Fprintln(os.Stderr, "demo guard: exec", real+":", err)
	os.Exit(1)
}

// childProcAttr puts a child in its own process group (Ctrl-C reaches the
// demo, which stops it in order) and kills it if the demo dies.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
