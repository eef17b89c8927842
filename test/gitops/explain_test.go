package gitops

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// rootFieldsFromKubernetes are documented by Kubernetes itself in `kubectl
// explain`, not by this API's schema.
var rootFieldsFromKubernetes = map[string]bool{"apiVersion": true, "kind": true, "metadata": true}

// TestKubectlExplainDescribesEveryField walks the openAPIV3Schema of every
// CRD and lists each field (spec and status, at any depth) whose description
// is empty: `kubectl explain` would show nothing for it.
func TestKubectlExplainDescribesEveryField(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "config", "crd", "bases", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs found in config/crd/bases (%v)", err)
	}
	for _, file := range files {
		crd := readCRD(t, file)
		for _, version := range crd.Spec.Versions {
			if version.Schema == nil || version.Schema.OpenAPIV3Schema == nil {
				t.Errorf("%s %s has no schema", crd.Name, version.Name)
				continue
			}
			root := version.Schema.OpenAPIV3Schema
			if root.Description == "" {
				t.Errorf("%s %s: the kind itself has no description", crd.Spec.Names.Kind, version.Name)
			}
			for name, prop := range root.Properties {
				if rootFieldsFromKubernetes[name] {
					continue
				}
				for _, path := range undescribedFields(crd.Spec.Names.Kind+"."+name, prop) {
					t.Errorf("%s (%s): no description; add a doc comment to the Go field and run `make manifests`", path, version.Name)
				}
			}
		}
	}
}

// readCRD decodes one CRD manifest.
func readCRD(t *testing.T, file string) *apiextensionsv1.CustomResourceDefinition {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.Unmarshal(raw, crd); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return crd
}

// undescribedFields returns the paths, under path, of fields without a
// description: the field itself, its properties and those of its list items.
func undescribedFields(path string, s apiextensionsv1.JSONSchemaProps) []string {
	var missing []string
	if s.Description == "" {
		missing = append(missing, path)
	}
	children := s.Properties
	if s.Items != nil && s.Items.Schema != nil {
		children = s.Items.Schema.Properties
		path += "[]"
	}
	names := make([]string, 0, len(children))
	for name := range children {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		missing = append(missing, undescribedFields(path+"."+name, children[name])...)
	}
	return missing
}

// TestUndescribedFieldsFindsNestedGaps keeps the walker honest: a missing
// description deep in a list item is reported with its path.
func TestUndescribedFieldsFindsNestedGaps(t *testing.T) {
	described := func(props map[string]apiextensionsv1.JSONSchemaProps) apiextensionsv1.JSONSchemaProps {
		return apiextensionsv1.JSONSchemaProps{Description: "d", Properties: props}
	}
	status := described(map[string]apiextensionsv1.JSONSchemaProps{
		"suggestions": {Description: "d", Items: &apiextensionsv1.JSONSchemaPropsOrArray{Schema: &apiextensionsv1.JSONSchemaProps{
			Properties: map[string]apiextensionsv1.JSONSchemaProps{"city": {}, "country": {Description: "d"}},
		}}},
		"phase": {},
	})
	got := undescribedFields("Customer.status", status)
	want := []string{"Customer.status.phase", "Customer.status.suggestions[].city"}
	if !slices.Equal(got, want) {
		t.Fatalf("undescribedFields = %v, want %v", got, want)
	}
}
