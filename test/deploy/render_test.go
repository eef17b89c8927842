package deploy_test

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// repoRoot is the checkout's top directory (this file is test/deploy/render_test.go).
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// configEdit changes one file of config/ before rendering: the edit a user
// makes to pick another option (e.g. cert-manager instead of self-managed).
type configEdit struct {
	file     string // path under config/
	old, new string
}

// renderKustomize builds config/<dir> with kustomize, after applying the
// edits to an in-memory copy of config/. An edit whose old text is missing
// is an error, so a test never silently renders the unedited tree.
func renderKustomize(dir string, edits ...configEdit) ([]*unstructured.Unstructured, error) {
	mem, err := copyConfigToMemory()
	if err != nil {
		return nil, err
	}
	for _, e := range edits {
		path := filepath.Join("/config", e.file)
		b, err := mem.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if !strings.Contains(string(b), e.old) {
			return nil, fmt.Errorf("config/%s has no %q to replace", e.file, e.old)
		}
		if err := mem.WriteFile(path, []byte(strings.Replace(string(b), e.old, e.new, 1))); err != nil {
			return nil, err
		}
	}
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(mem, filepath.Join("/config", dir))
	if err != nil {
		return nil, fmt.Errorf("kustomize build config/%s: %w", dir, err)
	}
	out, err := resources.AsYaml()
	if err != nil {
		return nil, err
	}
	return decodeYAML(string(out))
}

// copyConfigToMemory copies config/ into an in-memory file system at /config.
func copyConfigToMemory() (filesys.FileSystem, error) {
	mem := filesys.MakeFsInMemory()
	src := filepath.Join(repoRoot(), "config")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return mem.WriteFile(filepath.Join("/config", rel), b)
	})
	return mem, err
}

// decodeYAML splits a multi-document YAML stream into objects, skipping
// empty documents.
func decodeYAML(stream string) ([]*unstructured.Unstructured, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(stream), 4096)
	var objs []*unstructured.Unstructured
	for {
		obj := map[string]any{}
		if err := dec.Decode(&obj); err != nil {
			if errors.Is(err, io.EOF) {
				return objs, nil
			}
			return nil, err
		}
		if len(obj) == 0 {
			continue
		}
		objs = append(objs, &unstructured.Unstructured{Object: obj})
	}
}

// find returns the objects of a kind.
func find(objs []*unstructured.Unstructured, kind string) []*unstructured.Unstructured {
	var found []*unstructured.Unstructured
	for _, o := range objs {
		if o.GetKind() == kind {
			found = append(found, o)
		}
	}
	return found
}
