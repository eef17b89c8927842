package deploy_test

import (
	"path/filepath"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// chartDir is the chart's directory.
func chartDir() string { return filepath.Join(repoRoot(), "dist", "chart") }

// renderChart renders dist/chart like `helm template partnercenter-operator
// --namespace ns`, with values over the chart's defaults, and returns its
// objects in file order.
func renderChart(namespace string, values map[string]any) ([]*unstructured.Unstructured, error) {
	return renderRelease("partnercenter-operator", namespace, values)
}

// renderRelease renders dist/chart as the release named release (values are
// checked against values.schema.json, as helm install does).
func renderRelease(releaseName, namespace string, values map[string]any) ([]*unstructured.Unstructured, error) {
	chrt, err := loader.Load(chartDir())
	if err != nil {
		return nil, err
	}
	release := chartutil.ReleaseOptions{Name: releaseName, Namespace: namespace, IsInstall: true}
	renderValues, err := chartutil.ToRenderValues(chrt, values, release, chartutil.DefaultCapabilities)
	if err != nil {
		return nil, err
	}
	files, err := engine.Render(chrt, renderValues)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		if strings.HasSuffix(name, ".yaml") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var objs []*unstructured.Unstructured
	for _, name := range names {
		docs, err := decodeYAML(files[name])
		if err != nil {
			return nil, err
		}
		objs = append(objs, docs...)
	}
	return objs, nil
}
