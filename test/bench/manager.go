package main

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Manager is the operator's real binary (bin/manager) running as a
// subprocess, so its memory and CPU are its own and read from /proc.
type Manager struct {
	proc       *process
	metricsURL string
	http       *http.Client
}

// ManagerOptions are how the manager is started.
type ManagerOptions struct {
	// Binary is the manager executable.
	Binary string
	// KubeConfig is the kubeconfig of its audited user.
	KubeConfig string
	// SimulatorURL is the Partner Center endpoint.
	SimulatorURL string
	// CredentialsDir holds the simulator tokens.
	CredentialsDir string
	// LogDir receives manager.log.
	LogDir string
	// Args are extra flags (tuning).
	Args []string
	// Env are extra environment variables.
	Env []string
}

// StartManager starts the manager against the control plane and the
// simulator, webhooks off (no serving certificate; the controllers run the
// same rules), metrics on plain HTTP on loopback.
func StartManager(o ManagerOptions) (*Manager, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	args := append([]string{
		"--partner-center-url=" + o.SimulatorURL,
		"--credentials-dir=" + o.CredentialsDir,
		"--partner-role=IndirectProvider",
		"--partner-domain=partner.example",
		"--metrics-bind-address=" + addr, "--metrics-secure=false",
		"--health-probe-bind-address=0",
		"--enable-webhooks=false",
	}, o.Args...)
	proc, err := startProcess(o.Binary, args, append([]string{"KUBECONFIG=" + o.KubeConfig}, o.Env...), filepath.Join(o.LogDir, "manager.log"))
	if err != nil {
		return nil, err
	}
	m := &Manager{proc: proc, metricsURL: "http://" + addr + "/metrics", http: &http.Client{Timeout: 30 * time.Second}}
	err = waitFor(func() error {
		if proc.exited() {
			return errors.New("manager exited")
		}
		_, err := m.Metrics()
		return err
	}, time.Minute)
	if err != nil {
		m.Stop()
		return nil, fmt.Errorf("manager did not come up (see %s): %w", filepath.Join(o.LogDir, "manager.log"), err)
	}
	return m, nil
}

// Stop ends the manager.
func (m *Manager) Stop() { m.proc.stop() }

// Exited is closed when the manager process ends.
func (m *Manager) Exited() <-chan struct{} { return m.proc.done }

// Metrics scrapes the manager's Prometheus endpoint.
func (m *Manager) Metrics() (Metrics, error) {
	resp, err := m.http.Get(m.metricsURL)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("metrics: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	return Metrics(families), err
}

// Metrics are scraped metric families by name.
type Metrics map[string]*dto.MetricFamily

// Sum adds the values of name's samples whose labels include match.
func (ms Metrics) Sum(name string, match map[string]string) float64 {
	f, ok := ms[name]
	if !ok {
		return 0
	}
	total := 0.0
	for _, m := range f.GetMetric() {
		if !hasLabels(m, match) {
			continue
		}
		switch {
		case m.Counter != nil:
			total += m.GetCounter().GetValue()
		case m.Gauge != nil:
			total += m.GetGauge().GetValue()
		case m.Untyped != nil:
			total += m.GetUntyped().GetValue()
		}
	}
	return total
}

// LabelValues lists the values label takes among name's samples.
func (ms Metrics) LabelValues(name, label string) []string {
	var out []string
	for _, m := range ms[name].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == label {
				out = append(out, l.GetValue())
			}
		}
	}
	return out
}

// hasLabels reports whether m carries every label of match.
func hasLabels(m *dto.Metric, match map[string]string) bool {
	found := 0
	for _, l := range m.GetLabel() {
		if v, ok := match[l.GetName()]; ok && v == l.GetValue() {
			found++
		}
	}
	return found == len(match)
}

// Footprint is the manager's resource use as the kernel accounts it.
type Footprint struct {
	// RSSBytes is the resident set size now.
	RSSBytes int64 `json:"rssBytes"`
	// PeakRSSBytes is the high-water mark of the resident set.
	PeakRSSBytes int64 `json:"peakRSSBytes"`
	// AnonRSSBytes is the anonymous part of RSS (heap, stacks); the rest is
	// the mapped binary, shared and reclaimable.
	AnonRSSBytes int64 `json:"anonRSSBytes"`
	// CPUSeconds is user + system CPU time since start.
	CPUSeconds float64 `json:"cpuSeconds"`
}

// Footprint reads /proc/<pid>/status and /proc/<pid>/stat.
func (m *Manager) Footprint() (Footprint, error) {
	pid := m.proc.cmd.Process.Pid
	var fp Footprint
	status, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return fp, err
	}
	defer status.Close()
	scanner := bufio.NewScanner(status)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "VmRSS:":
			fp.RSSBytes = kb * 1024
		case "VmHWM:":
			fp.PeakRSSBytes = kb * 1024
		case "RssAnon:":
			fp.AnonRSSBytes = kb * 1024
		}
	}
	fp.CPUSeconds, err = cpuSeconds(pid)
	return fp, err
}
