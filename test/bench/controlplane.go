package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Users the API server audits. Each gets its own client certificate, so the
// audit log tells their requests apart from the harness's own (applying the
// workload, watching readiness), which are not counted.
const (
	// userManager is the operator's manager.
	userManager = "bench-manager"
	// userFloor is the plain client doing the floor's writes.
	userFloor = "bench-floor"
)

// auditPolicy records one event per completed request of the measured users
// (metadata only: verb, resource, code, times) and nothing else.
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived", "ResponseStarted"]
rules:
- level: Metadata
  users: ["` + userManager + `", "` + userFloor + `"]
- level: None
`

// ControlPlane is a fresh envtest control plane (kube-apiserver + etcd) with
// this operator's CRDs and an audit log of the measured users' requests.
type ControlPlane struct {
	env *envtest.Environment
	// Admin is the harness's own (unaudited) configuration.
	Admin *rest.Config
	// AuditLog is the path of the API server's audit log.
	AuditLog string
	dir      string
}

// StartControlPlane starts a control plane whose files live under dir.
func StartControlPlane(root, dir string) (*ControlPlane, error) {
	if err := ensureAssets(root); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	policy := filepath.Join(dir, "audit-policy.yaml")
	if err := os.WriteFile(policy, []byte(auditPolicy), 0o600); err != nil {
		return nil, err
	}
	cp := &ControlPlane{dir: dir, AuditLog: filepath.Join(dir, "audit.log")}
	cp.env = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(root, "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	// Blocking mode: an event is on disk before the response is sent, so the
	// windows (converge, idle) are cut exactly by timestamps.
	cp.env.ControlPlane.GetAPIServer().Configure().
		Set("audit-policy-file", policy).
		Set("audit-log-path", cp.AuditLog).
		Set("audit-log-mode", "blocking").
		Set("audit-log-format", "json")
	cfg, err := cp.env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting envtest: %w", err)
	}
	cp.Admin = unlimited(cfg)
	return cp, nil
}

// unlimited lifts client-go's default 5 qps limit: the API server's own flow
// control is what the workload should meet.
func unlimited(cfg *rest.Config) *rest.Config {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = -1, 0
	return cfg
}

// User adds an audited cluster-admin user and returns its configuration.
func (cp *ControlPlane) User(name string) (*rest.Config, error) {
	u, err := cp.env.AddUser(envtest.User{Name: name, Groups: []string{"system:masters"}}, cp.Admin)
	if err != nil {
		return nil, fmt.Errorf("adding user %s: %w", name, err)
	}
	return unlimited(u.Config()), nil
}

// KubeConfig writes a kubeconfig file for user name and returns its path.
func (cp *ControlPlane) KubeConfig(name string) (string, error) {
	u, err := cp.env.AddUser(envtest.User{Name: name, Groups: []string{"system:masters"}}, cp.Admin)
	if err != nil {
		return "", fmt.Errorf("adding user %s: %w", name, err)
	}
	raw, err := u.KubeConfig()
	if err != nil {
		return "", err
	}
	path := filepath.Join(cp.dir, name+".kubeconfig")
	return path, os.WriteFile(path, raw, 0o600)
}

// ensureAssets points KUBEBUILDER_ASSETS at the project's control-plane
// binaries (hack/envtest-assets.sh builds them once) when it is not set.
func ensureAssets(root string) error {
	if os.Getenv("KUBEBUILDER_ASSETS") != "" {
		return nil
	}
	cmd := exec.Command(filepath.Join(root, "hack", "envtest-assets.sh"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("hack/envtest-assets.sh: %w", err)
	}
	return os.Setenv("KUBEBUILDER_ASSETS", strings.TrimSpace(string(out)))
}

// APIServerCPUSeconds is the CPU time the kube-apiserver of this control
// plane has used (found by its audit-log flag among the processes).
func (cp *ControlPlane) APIServerCPUSeconds() (float64, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	flag := []byte("--audit-log-path=" + cp.AuditLog)
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, flag) {
			return cpuSeconds(pid)
		}
	}
	return 0, fmt.Errorf("no kube-apiserver with %s", flag)
}

// Stop shuts the control plane down.
func (cp *ControlPlane) Stop() error { return cp.env.Stop() }

// profileCPU starts recording the kube-apiserver's CPU profile (its
// /debug/pprof endpoint, as the unaudited admin) for d, into
// apiserver-cpu.pprof next to the audit log; the returned function waits
// for it. With d = 0 nothing is recorded.
func (cp *ControlPlane) profileCPU(d time.Duration) (wait func() error) {
	if d <= 0 {
		return func() error { return nil }
	}
	done := make(chan error, 1)
	go func() {
		httpClient, err := rest.HTTPClientFor(cp.Admin)
		if err != nil {
			done <- err
			return
		}
		httpClient.Timeout = d + time.Minute
		resp, err := httpClient.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", strings.TrimSuffix(cp.Admin.Host, "/"), int(d.Seconds())))
		if err != nil {
			done <- err
			return
		}
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("%s: %s", resp.Status, body)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(cp.dir, "apiserver-cpu.pprof"), body, 0o600)
		}
		done <- err
	}()
	return func() error { return <-done }
}
