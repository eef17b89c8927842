package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

const (
	samplesDir        = "config/samples"
	invalidSamplesDir = "config/samples/invalid"
	// sampleNamespace is where objects without a namespace go, as with kubectl.
	sampleNamespace = "default"
	// fieldOwner is the demo's server-side apply field manager.
	fieldOwner = "partnercenter-demo"
)

// objectRef names an applied object, e.g. Customer/contoso-brasil.
type objectRef struct{ Kind, Name string }

func (r objectRef) String() string { return r.Kind + "/" + r.Name }

// applySamples applies every resource listed in config/samples/kustomization.yaml
// at once (server-side apply, like kubectl apply --server-side) and returns
// what it applied.
func applySamples(ctx context.Context, c client.Client) ([]objectRef, error) {
	files, err := kustomizationResources(samplesDir)
	if err != nil {
		return nil, err
	}
	objs, err := readObjects(files)
	if err != nil {
		return nil, err
	}
	say("applying %s: %d objects at once", samplesDir, len(objs))
	refs := make([]objectRef, 0, len(objs))
	for _, u := range objs {
		if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(fieldOwner)); err != nil {
			return nil, fmt.Errorf("applying %s/%s: %w", u.GetKind(), u.GetName(), err)
		}
		refs = append(refs, objectRef{u.GetKind(), u.GetName()})
	}
	return refs, nil
}

// applyInvalidSamples applies config/samples/invalid/*.yaml, each of which
// admission must refuse, prints the refusal and returns it (the first one's
// message). An invalid sample that is admitted is an error.
func applyInvalidSamples(ctx context.Context, c client.Client) (string, error) {
	files, err := filepath.Glob(filepath.Join(invalidSamplesDir, "*.yaml"))
	if err != nil {
		return "", err
	}
	objs, err := readObjects(files)
	if err != nil {
		return "", err
	}
	var first string
	for _, u := range objs {
		ref := objectRef{u.GetKind(), u.GetName()}
		err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(fieldOwner))
		if err == nil {
			return "", fmt.Errorf("the invalid sample %s was admitted; admission should have refused it", ref)
		}
		if !apierrors.IsInvalid(err) && !apierrors.IsForbidden(err) && !apierrors.IsBadRequest(err) {
			return "", fmt.Errorf("applying the invalid sample %s: %w", ref, err)
		}
		say("applying the invalid sample %s: refused, as it should be:", ref)
		fmt.Printf("          %s\n", err)
		if first == "" {
			first = fmt.Sprintf("%s: %s", ref, err)
		}
	}
	return first, nil
}

// kustomizationResources lists the files of a kustomization's resources.
func kustomizationResources(dir string) ([]string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		return nil, err
	}
	var k struct {
		Resources []string `json:"resources"`
	}
	if err := yaml.Unmarshal(raw, &k); err != nil {
		return nil, fmt.Errorf("reading %s/kustomization.yaml: %w", dir, err)
	}
	files := make([]string, len(k.Resources))
	for i, r := range k.Resources {
		files[i] = filepath.Join(dir, r)
	}
	return files, nil
}

// readObjects decodes every YAML document of the files, defaulting the namespace.
func readObjects(files []string) ([]*unstructured.Unstructured, error) {
	var objs []*unstructured.Unstructured
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(raw), 4096)
		for {
			u := &unstructured.Unstructured{}
			err := dec.Decode(&u.Object)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", f, err)
			}
			if len(u.Object) == 0 {
				continue // an empty document between separators
			}
			if u.GetNamespace() == "" {
				u.SetNamespace(sampleNamespace)
			}
			objs = append(objs, u)
		}
	}
	return objs, nil
}
