// Package monitoring checks the operator's Prometheus alerts with promtool:
// the rules of config/prometheus/alerts.yaml (the PrometheusRule that
// kustomize and the chart deploy) must load, and fire exactly as the unit
// tests of testdata/alerts_test.yaml say.
package monitoring

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"sigs.k8s.io/yaml"
)

// repoRoot is the checkout's top directory (this file is test/monitoring/rules_test.go).
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// TestAlertsWithPromtool runs `promtool check rules` and `promtool test
// rules` on the PrometheusRule's groups. `make test` builds promtool and sets
// PROMTOOL.
func TestAlertsWithPromtool(t *testing.T) {
	promtool := os.Getenv("PROMTOOL")
	if promtool == "" {
		t.Skip("PROMTOOL is not set (make test builds bin/promtool and sets it)")
	}
	b, err := os.ReadFile(filepath.Join(repoRoot(), "config", "prometheus", "alerts.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var rule struct {
		Kind string `json:"kind"`
		Spec any    `json:"spec"`
	}
	if err := yaml.Unmarshal(b, &rule); err != nil || rule.Kind != "PrometheusRule" {
		t.Fatalf("config/prometheus/alerts.yaml is not a PrometheusRule (%v)", err)
	}
	groups, err := yaml.Marshal(rule.Spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests, err := os.ReadFile(filepath.Join("testdata", "alerts_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{"rules.yaml": groups, "alerts_test.yaml": tests} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"check", "rules", "rules.yaml"}, {"test", "rules", "alerts_test.yaml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
}
