// Package generated checks that the committed generated files (DeepCopy
// code, CRDs, RBAC, webhook configuration) are what `make manifests generate`
// produces from the current sources, so nobody ships a CRD that disagrees
// with its Go type.
package generated

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// repoRoot is the checkout's top directory, relative to this package.
const repoRoot = "../.."

// generators mirror the Makefile's manifests and generate targets, each
// writing into its own directory so the result can be compared file by file.
var generators = []struct {
	name      string
	committed string // directory in the checkout
	args      func(out string) []string
}{
	{"deepcopy", "api/v1alpha1", func(out string) []string {
		return []string{"object:headerFile=hack/boilerplate.go.txt", "paths=./api/...", "output:object:dir=" + out}
	}},
	{"crd", "config/crd/bases", func(out string) []string {
		return []string{"crd", "paths=./api/...", "output:crd:dir=" + out}
	}},
	{"rbac", "config/rbac", func(out string) []string {
		return []string{"rbac:roleName=manager-role", "paths=./api/...", "paths=./internal/...", "output:rbac:dir=" + out}
	}},
	{"webhook", "config/webhook", func(out string) []string {
		return []string{"webhook", "paths=./api/...", "paths=./internal/...", "output:webhook:dir=" + out}
	}},
}

func TestGeneratedFilesAreInSync(t *testing.T) {
	for _, g := range generators {
		t.Run(g.name, func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command("go", append([]string{"run", "sigs.k8s.io/controller-tools/cmd/controller-gen"}, g.args(out)...)...)
			cmd.Dir = repoRoot
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("controller-gen failed: %v\n%s", err, msg)
			}
			generated, err := filepath.Glob(filepath.Join(out, "*"))
			if err != nil {
				t.Fatal(err)
			}
			for _, file := range generated {
				want, _ := os.ReadFile(file)
				committedPath := filepath.Join(repoRoot, g.committed, filepath.Base(file))
				got, err := os.ReadFile(committedPath)
				if err != nil {
					t.Errorf("%s is generated but not committed: run `make manifests generate`", committedPath)
					continue
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from what controller-gen produces: run `make manifests generate` and commit the result", committedPath)
				}
			}
		})
	}
}
