package plan

import (
	"fmt"
	"strings"
)

// Counts are how many objects are in each cluster state.
func (p *Plan) Counts() map[string]int {
	counts := map[string]int{}
	for _, e := range p.Entries {
		counts[e.Cluster]++
	}
	return counts
}

// Markdown renders the plan for a pull-request comment: a summary line and
// one table row per object.
func (p *Plan) Markdown() string {
	var b strings.Builder
	c := p.Counts()
	fmt.Fprintf(&b, "### Plan for namespace `%s`: %d new, %d changed, %d unchanged, %d refused\n\n", p.Namespace, c[New], c[Changed], c[Unchanged], c[Refused])
	b.WriteString("| object | file | cluster | in Partner Center | waits for |\n|---|---|---|---|---|\n")
	for _, e := range p.Entries {
		cluster := e.Cluster
		if e.Refusal != "" {
			cluster += ": " + e.Refusal
		}
		fmt.Fprintf(&b, "| %s/%s | `%s` | %s | %s | %s |\n", e.Kind, e.Name, e.File, cell(cluster), cell(strings.Join(e.PartnerCenter, "; ")), cell(e.WaitsFor))
	}
	return b.String()
}

// cell makes text safe inside a markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
