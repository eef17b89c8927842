package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// progressEvery is how often a long build says it is still going.
const progressEvery = 30 * time.Second

// ensureControlPlane returns the directory holding kube-apiserver and etcd,
// building them from source on first use (hack/envtest-assets.sh).
func ensureControlPlane(ctx context.Context) (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		say("control plane: using kube-apiserver and etcd from KUBEBUILDER_ASSETS=%s", dir)
		return dir, nil
	}
	say("control plane: kube-apiserver + etcd via hack/envtest-assets.sh (cached after the first build;")
	say("  the first build compiles them from source through the Go module proxy: about 12 minutes on 2 cores)")
	var path bytes.Buffer
	cmd := exec.CommandContext(ctx, filepath.Join("hack", "envtest-assets.sh"))
	cmd.Stdout, cmd.Stderr = &path, os.Stderr
	took, err := runWithProgress(cmd, "building the control plane")
	if err != nil {
		return "", fmt.Errorf("building the control plane: %w", err)
	}
	dir := strings.TrimSpace(path.String())
	say("control plane ready in %s: %s", roughly(took), relative(dir))
	return dir, nil
}

// buildManager compiles the manager (./cmd) into dir and returns its path.
func buildManager(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "manager")
	say("building the manager: go build -o %s ./cmd (about a minute on 2 cores the first time, seconds after)", relative(bin))
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	took, err := runWithProgress(cmd, "building the manager")
	if err != nil {
		return "", fmt.Errorf("building the manager: %w", err)
	}
	say("manager built in %s", roughly(took))
	return bin, nil
}

// runWithProgress runs cmd and prints a line every progressEvery while it
// runs, so a ten-minute first build does not look like a hang.
func runWithProgress(cmd *exec.Cmd, what string) (time.Duration, error) {
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return time.Since(start), err
		case <-tick.C:
			say("  ... still %s (%s so far)", what, roughly(time.Since(start)))
		}
	}
}
