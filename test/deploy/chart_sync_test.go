package deploy_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the chart's generated templates instead of checking them
// (`make helm-chart`).
var update = flag.Bool("update", false, "rewrite dist/chart's generated templates from config/")

// generatedTemplate is a chart template made from a file of config/ that
// `make manifests` generates, so the chart never drifts from kustomize.
type generatedTemplate struct {
	from, to string
	// edits are (old, new) pairs; each old must occur in the source.
	edits [][2]string
	// enabledBy is the value that switches the whole template on.
	enabledBy string
}

// header marks a generated template.
const header = "{{- /* Generated from config/%s by `make helm-chart`; do not edit. */}}\n"

// generatedTemplates lists every generated template of dist/chart.
func generatedTemplates() ([]generatedTemplate, error) {
	crds, err := filepath.Glob(filepath.Join(repoRoot(), "config", "crd", "bases", "*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []generatedTemplate
	for _, crd := range crds {
		name := filepath.Base(crd)
		out = append(out, generatedTemplate{
			from: "crd/bases/" + name, to: "templates/crd/" + name, enabledBy: ".Values.crd.enable",
			edits: [][2]string{{"metadata:\n  annotations:\n", "metadata:\n  annotations:\n" +
				"    {{- if .Values.crd.keep }}\n    helm.sh/resource-policy: keep\n    {{- end }}\n"}},
		})
	}
	return append(out,
		generatedTemplate{
			from: "prometheus/alerts.yaml", to: "templates/prometheus/alerts.yaml", enabledBy: "and .Values.metrics.enable .Values.prometheus.enable",
			edits: [][2]string{
				{"  name: alerts\n  namespace: system\n  labels:\n",
					"  name: {{ include \"chart.name\" . }}-alerts\n  namespace: {{ .Release.Namespace }}\n  labels:\n    {{- include \"chart.labels\" . | nindent 4 }}\n"},
				// The alerts' own templates are Prometheus's, not Helm's.
				{"{{ $", "{{ \"{{\" }} $"},
			},
		},
		generatedTemplate{
			from: "rbac/role.yaml", to: "templates/rbac/role.yaml",
			edits: [][2]string{{"metadata:\n  name: manager-role\n",
				"metadata:\n  name: {{ include \"chart.name\" . }}-manager-role\n  labels:\n    {{- include \"chart.labels\" . | nindent 4 }}\n"}},
		},
		generatedTemplate{
			from: "webhook/manifests.yaml", to: "templates/webhook/manifests.yaml", enabledBy: ".Values.webhook.enable",
			edits: [][2]string{
				{"metadata:\n  name: validating-webhook-configuration\n",
					"metadata:\n  name: {{ include \"chart.name\" . }}-validating-webhook-configuration\n" +
						"  labels:\n    {{- include \"chart.labels\" . | nindent 4 }}\n" +
						"  {{- if eq (include \"chart.certMode\" .) \"cert-manager\" }}\n  annotations:\n" +
						"    cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include \"chart.name\" . }}-serving-cert\n  {{- end }}\n"},
				{"      name: webhook-service\n      namespace: system\n",
					"      name: {{ include \"chart.name\" . }}-webhook-service\n      namespace: {{ .Release.Namespace }}\n"},
			},
		},
	), nil
}

// render makes the template's text from its config/ source.
func (g generatedTemplate) render() ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(repoRoot(), "config", g.from))
	if err != nil {
		return nil, err
	}
	text := string(src)
	for _, e := range g.edits {
		if !strings.Contains(text, e[0]) {
			return nil, fmt.Errorf("config/%s: %q not found; update generatedTemplates", g.from, e[0])
		}
		text = strings.ReplaceAll(text, e[0], e[1])
	}
	if g.enabledBy != "" {
		text = "{{- if " + g.enabledBy + " }}\n" + text + "{{- end }}\n"
	}
	return []byte(fmt.Sprintf(header, g.from) + text), nil
}

// TestChartGeneratedTemplatesInSync checks that dist/chart's CRDs, manager
// ClusterRole and webhook configuration are the ones `make manifests` wrote
// into config/ (run `make helm-chart` after `make manifests`).
func TestChartGeneratedTemplatesInSync(t *testing.T) {
	templates, err := generatedTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range templates {
		want, err := g.render()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(repoRoot(), "dist", "chart", g.to)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("dist/chart/%s is not config/%s (err %v): run `make helm-chart`", g.to, g.from, err)
		}
	}
}
