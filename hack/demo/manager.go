package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// simulatorBanner is what the manager logs when --partner-center-url is
// empty (cmd/simulator.go); the demo refuses to go on without it.
const simulatorBanner = "BUILT-IN PARTNER CENTER SIMULATOR"

// managerStartTimeout bounds the wait for the manager's webhook server.
const managerStartTimeout = time.Minute

// managerStopTimeout is how long the manager may take to stop after SIGTERM.
const managerStopTimeout = 15 * time.Second

// manager is the running manager subprocess.
type manager struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	logPath string
	log     *os.File
}

// startManager runs the manager binary against the control plane, as an
// IndirectProvider with the built-in simulator, serving the webhooks where
// envtest pointed them, and waits until its webhook server answers.
func startManager(ctx context.Context, bin string, cp *controlPlane, dir string) (*manager, error) {
	host, port, certDir, caPEM := cp.webhookServing()
	m := &manager{logPath: filepath.Join(dir, "manager.log"), exited: make(chan struct{})}
	var err error
	if m.log, err = os.Create(m.logPath); err != nil {
		return nil, err
	}
	m.cmd = exec.Command(bin, managerArgs(host, port, certDir)...)
	m.cmd.Env = append(os.Environ(), "KUBECONFIG="+cp.kubeconfig)
	m.cmd.Stdout, m.cmd.Stderr = m.log, m.log
	m.cmd.SysProcAttr = childProcAttr()
	say("starting the manager: %s %s", relative(bin), shellWords(m.cmd.Args[1:]))
	if err := m.cmd.Start(); err != nil {
		return nil, errors.Join(err, m.log.Close())
	}
	go func() {
		_ = m.cmd.Wait()
		close(m.exited)
	}()
	if err := m.waitServing(ctx, net.JoinHostPort(host, strconv.Itoa(port)), caPEM); err != nil {
		m.stop()
		return nil, err
	}
	banner, err := m.simulatorBanner()
	if err != nil {
		m.stop()
		return nil, err
	}
	say("manager running (pid %d, log %s); it says: %q", m.cmd.Process.Pid, relative(m.logPath), banner)
	return m, nil
}

// managerArgs are the manager's flags for the demo.
func managerArgs(host string, port int, certDir string) []string {
	return []string{
		"--partner-role", "IndirectProvider",
		"--partner-domain", partnerDomain,
		"--partner-center-url", "", // the built-in simulator
		// The simulator's default invitation link, so the operator hands out
		// the link the simulator knows (R2).
		"--reseller-invitation-url", pcsim.New(pcsim.Config{}).ResellerInvitationURL(),
		"--webhook-host", host,
		"--webhook-port", strconv.Itoa(port),
		"--webhook-cert-dir", certDir,
		"--health-probe-bind-address", "0", // no fixed port: several demos or tests may run at once
		"--metrics-bind-address", "0",
	}
}

// shellWords joins args as a shell would need them typed: empty or spaced
// arguments quoted.
func shellWords(args []string) string {
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = a
		if a == "" || strings.ContainsAny(a, " \t\"'") {
			words[i] = strconv.Quote(a)
		}
	}
	return strings.Join(words, " ")
}

// waitServing waits until the webhook server completes a TLS handshake with
// envtest's CA, so admission of the samples cannot race the manager's start.
func (m *manager) waitServing(ctx context.Context, addr string, caPEM []byte) error {
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	host, _, _ := net.SplitHostPort(addr)
	deadline := time.After(managerStartTimeout)
	for {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, &tls.Config{RootCAs: roots, ServerName: host, MinVersion: tls.VersionTLS12})
		if err == nil {
			return conn.Close()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-m.exited:
			return fmt.Errorf("the manager exited at start; the end of %s:\n%s", relative(m.logPath), tail(m.logPath, 15))
		case <-deadline:
			return fmt.Errorf("the manager's webhook server did not answer on %s within %s (last error: %v); see %s", addr, managerStartTimeout, err, relative(m.logPath))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// simulatorBanner returns the manager's log message announcing the built-in
// simulator, or an error when the log does not say so.
func (m *manager) simulatorBanner() (string, error) {
	f, err := os.Open(m.logPath)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for lines.Scan() {
		if line := lines.Text(); strings.Contains(line, simulatorBanner) {
			return logMessage(line), nil
		}
	}
	return "", fmt.Errorf("the manager's log (%s) does not announce the built-in Partner Center simulator", relative(m.logPath))
}

// logMessage is the msg of a JSON log line, or the line itself.
func logMessage(line string) string {
	var entry struct {
		Msg string `json:"msg"`
	}
	if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg != "" {
		return entry.Msg
	}
	return line
}

// stop sends the manager SIGTERM, and SIGKILL if it has not stopped in time.
func (m *manager) stop() {
	defer func() { _ = m.log.Close() }()
	select {
	case <-m.exited:
		say("the manager had already exited: %s", m.cmd.ProcessState)
		return
	default:
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
		say("stopped the manager")
	case <-time.After(managerStopTimeout):
		_ = m.cmd.Process.Kill()
		<-m.exited
		say("killed the manager (it did not stop within %s)", managerStopTimeout)
	}
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
