package gitops

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	kstatus "github.com/fluxcd/cli-utils/pkg/kstatus/status"
	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/ext"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// healthCheckExpr is one entry of a Flux Kustomization's spec.healthCheckExprs.
type healthCheckExpr struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	InProgress string `json:"inProgress"`
	Failed     string `json:"failed"`
	Current    string `json:"current"`
}

// documentedHealthCheckExprs reads the healthCheckExprs snippet of
// docs/operations.md, by kind.
func documentedHealthCheckExprs() map[string]healthCheckExpr {
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs", "operations.md"))
	Expect(err).NotTo(HaveOccurred())
	start := bytes.Index(doc, []byte("```yaml\nspec:\n  healthCheckExprs:"))
	Expect(start).To(BeNumerically(">=", 0), "docs/operations.md has no healthCheckExprs snippet")
	block := doc[start+len("```yaml\n"):]
	block = block[:bytes.Index(block, []byte("```"))]
	var snippet struct {
		Spec struct {
			HealthCheckExprs []healthCheckExpr `json:"healthCheckExprs"`
		} `json:"spec"`
	}
	Expect(yaml.UnmarshalStrict(block, &snippet)).To(Succeed())
	byKind := map[string]healthCheckExpr{}
	for _, e := range snippet.Spec.HealthCheckExprs {
		byKind[e.Kind] = e
	}
	return byKind
}

// fluxEvaluate computes an object's status the way Flux's kustomize-controller
// does with healthCheckExprs (fluxcd/pkg runtime/cel, RFC 0009): the CEL
// environment of its NewExpression (expressions parsed, not type-checked, the
// object's top-level fields as variables), then: InProgress when
// status.observedGeneration differs from metadata.generation, else the first
// of inProgress, failed, current that holds, else InProgress. An evaluation
// error fails the health check.
func fluxEvaluate(e healthCheckExpr, u *unstructured.Unstructured) (kstatus.Status, error) {
	env, err := cel.NewEnv(cel.HomogeneousAggregateLiterals(), cel.EagerlyValidateDeclarations(true),
		cel.DefaultUTCTimeZone(true), cel.CrossTypeNumericComparisons(true), cel.OptionalTypes(),
		ext.Strings(), ext.Sets(), ext.Encoders())
	if err != nil {
		return "", err
	}
	observed, hasObserved, _ := unstructured.NestedInt64(u.Object, "status", "observedGeneration")
	if hasObserved && observed != u.GetGeneration() {
		return kstatus.InProgressStatus, nil
	}
	for _, step := range []struct {
		expr   string
		status kstatus.Status
	}{{e.InProgress, kstatus.InProgressStatus}, {e.Failed, kstatus.FailedStatus}, {e.Current, kstatus.CurrentStatus}} {
		ast, issues := env.Parse(step.expr)
		if issues != nil {
			return "", issues.Err()
		}
		prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize), cel.InterruptCheckFrequency(100))
		if err != nil {
			return "", err
		}
		val, _, err := prg.ContextEval(context.Background(), u.Object)
		if err != nil {
			return "", fmt.Errorf("%q: %w", step.expr, err)
		}
		holds, ok := val.(types.Bool)
		if !ok {
			return "", fmt.Errorf("%q is not a boolean", step.expr)
		}
		if holds {
			return step.status, nil
		}
	}
	return kstatus.InProgressStatus, nil
}

var _ = Describe("Flux healthCheckExprs (docs/operations.md)", func() {
	It("has an entry for every kind", func() {
		exprs := documentedHealthCheckExprs()
		for _, k := range kinds {
			Expect(exprs).To(HaveKey(k.kind))
			Expect(exprs[k.kind].APIVersion).To(Equal("partnercenter.csp.dev/v1alpha1"))
		}
		Expect(exprs).To(HaveLen(len(kinds)))
	})

	DescribeTable("evaluates in Flux's CEL environment without error, to the status each state deserves",
		func(f fixture) {
			u := stored[f.name()]
			Expect(u).NotTo(BeNil(), "fixture %s was not stored", f.name())
			got, err := fluxEvaluate(documentedHealthCheckExprs()[f.kind.kind], u)
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(Equal(f.state.fluxCEL))
		},
		fixtureEntries(),
	)
})
