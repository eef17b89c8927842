package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// Object is one object of the directory.
type Object struct {
	// Obj is the object as written.
	Obj client.Object
	// File is the file it was read from, relative to the directory.
	File string
	// defaulted is Obj as the API server would store it (dry run).
	defaulted client.Object
}

// Kind is the object's kind.
func (o *Object) Kind() string { return o.Obj.GetObjectKind().GroupVersionKind().Kind }

// Load reads every object of this API in the YAML files under dir
// (kustomization files and other APIs' objects are skipped), in file order.
func Load(dir string) ([]*Object, error) {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) && d.Name() != "kustomization.yaml" {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []*Object
	for _, path := range files {
		objs, err := decodeFile(scheme, path)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(dir, path)
		for _, obj := range objs {
			out = append(out, &Object{Obj: obj, File: rel})
		}
	}
	return out, nil
}

// decodeFile decodes the documents of one YAML file into typed objects of this API.
func decodeFile(scheme *runtime.Scheme, path string) ([]client.Object, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []client.Object
	docs := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(raw), 4096)
	for {
		u := &unstructured.Unstructured{}
		err := docs.Decode(&u.Object)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(u.Object) == 0 || u.GroupVersionKind().GroupVersion() != v1alpha1.GroupVersion {
			continue
		}
		typed, err := scheme.New(u.GroupVersionKind())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, typed); err != nil {
			return nil, fmt.Errorf("%s: %s %s: %w", path, u.GetKind(), u.GetName(), err)
		}
		out = append(out, typed.(client.Object))
	}
}
