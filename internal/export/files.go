package export

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// File names inside a customer's folder.
const (
	customerFile           = "customer.yaml"
	attestationFile        = "mcaattestation.yaml"
	subscriptionFilePrefix = "subscription-"
	kustomizationFile      = "kustomization.yaml"
)

// fileOf is the file an object of a customer's folder goes to.
func fileOf(obj any) string {
	switch o := obj.(type) {
	case *v1alpha1.Customer:
		return customerFile
	case *v1alpha1.MCAAttestation:
		return attestationFile
	case *v1alpha1.Subscription:
		return subscriptionFilePrefix + o.Name + ".yaml"
	}
	panic(fmt.Sprintf("export: no file for %T", obj))
}

// writeFolder writes a customer's folder whole: the objects and their
// kustomization.yaml go to a temporary folder that then replaces the
// folder, so an interruption never leaves half a customer behind.
func writeFolder(dir string, objects []any) error {
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	var files []string
	for _, obj := range objects {
		name := fileOf(obj)
		if err := writeObjects(tmp, name, obj); err != nil {
			return err
		}
		files = append(files, name)
	}
	if err := writeKustomization(tmp, files); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// writeObjects writes obj as YAML to dir/name: an object of this API
// without its (empty) status and creation timestamp, as a person would write it.
func writeObjects(dir, name string, obj any) error {
	var doc any = obj
	if o, ok := obj.(runtime.Object); ok {
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
		if err != nil {
			return err
		}
		delete(u, "status")
		unstructured.RemoveNestedField(u, "metadata", "creationTimestamp")
		doc = u
	}
	raw, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), raw, 0o644)
}

// writeKustomization writes dir/kustomization.yaml listing resources, sorted.
func writeKustomization(dir string, resources []string) error {
	k := types.Kustomization{TypeMeta: types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind}, Resources: slices.Sorted(slices.Values(resources))}
	return writeObjects(dir, kustomizationFile, k)
}

// writeKustomizations writes the kustomization.yaml of the resellers folder,
// of the customers folder (one entry per customer folder) and of the root.
func (e *exporter) writeKustomizations(customers []selected, resellers resellersByTenant) error {
	var folders []string
	for _, c := range customers {
		if _, err := os.Stat(filepath.Join(e.o.Dir, customersDir, c.name)); err == nil {
			folders = append(folders, c.name)
		}
	}
	if err := writeKustomization(filepath.Join(e.o.Dir, customersDir), folders); err != nil {
		return err
	}
	root := []string{customersDir}
	if len(resellers) > 0 {
		var files []string
		for _, r := range resellers {
			files = append(files, resellerName(r)+".yaml")
		}
		if err := writeKustomization(filepath.Join(e.o.Dir, resellersDir), files); err != nil {
			return err
		}
		root = append(root, resellersDir)
	}
	return writeKustomization(e.o.Dir, root)
}
