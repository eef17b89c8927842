// Package deploy_test renders the operator's kustomize configurations and
// Helm chart and has a real API server (envtest) accept every object by
// server-side dry-run apply.
package deploy_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

var (
	restCfg *rest.Config
	k8s     client.Client
	testEnv *envtest.Environment
)

func TestDeploy(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Deploy manifests suite")
}

var _ = BeforeSuite(func() {
	// Kinds of other projects that the manifests use. The API server lacks
	// them, so the suite installs minimal CRDs (any spec accepted): the
	// objects are then checked for kind, scope and metadata only.
	testEnv = &envtest.Environment{CRDs: []*apiextensionsv1.CustomResourceDefinition{
		foreignCRD("cert-manager.io", "Issuer", "issuers"),
		foreignCRD("cert-manager.io", "Certificate", "certificates"),
		foreignCRD("monitoring.coreos.com", "ServiceMonitor", "servicemonitors"),
		foreignCRD("monitoring.coreos.com", "PrometheusRule", "prometheusrules"),
	}}
	var err error
	restCfg, err = testEnv.Start()
	Expect(err).NotTo(HaveOccurred(), "starting envtest (is KUBEBUILDER_ASSETS set? see hack/envtest-assets.sh)")
	k8s, err = client.New(restCfg, client.Options{})
	Expect(err).NotTo(HaveOccurred())
})

var _ = AfterSuite(func() {
	if testEnv != nil {
		Expect(testEnv.Stop()).To(Succeed())
	}
})

// foreignCRD is a namespaced v1 CRD that accepts any object of the kind.
func foreignCRD(group, kind, plural string) *apiextensionsv1.CustomResourceDefinition {
	preserve := true
	return &apiextensionsv1.CustomResourceDefinition{
		ObjectMeta: metav1.ObjectMeta{Name: plural + "." + group},
		Spec: apiextensionsv1.CustomResourceDefinitionSpec{
			Group: group,
			Names: apiextensionsv1.CustomResourceDefinitionNames{Kind: kind, ListKind: kind + "List", Plural: plural, Singular: strings.TrimSuffix(plural, "s")},
			Scope: apiextensionsv1.NamespaceScoped,
			Versions: []apiextensionsv1.CustomResourceDefinitionVersion{{
				Name: "v1", Served: true, Storage: true,
				Schema: &apiextensionsv1.CustomResourceValidation{OpenAPIV3Schema: &apiextensionsv1.JSONSchemaProps{
					Type: "object", XPreserveUnknownFields: &preserve,
				}},
			}},
		},
	}
}

// applyAll installs the rendered CRDs and namespaces for real (the rest
// depends on them), creates namespace when it is not empty (Helm's release
// namespace) and the watched namespaces (the user's), then server-side
// dry-run applies every other object. It returns how many objects were
// dry-run applied and every refusal.
func applyAll(ctx context.Context, objs []*unstructured.Unstructured, namespace string, watched []string) (int, []error) {
	var crds []*apiextensionsv1.CustomResourceDefinition
	for _, o := range find(objs, "CustomResourceDefinition") {
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, crd); err != nil {
			return 0, []error{err}
		}
		crds = append(crds, crd)
	}
	if _, err := envtest.InstallCRDs(restCfg, envtest.CRDInstallOptions{CRDs: crds}); err != nil {
		return 0, []error{fmt.Errorf("installing the CRDs: %w", err)}
	}
	for _, name := range append([]string{namespace}, watched...) {
		if name == "" {
			continue
		}
		ns := &unstructured.Unstructured{}
		ns.SetAPIVersion("v1")
		ns.SetKind("Namespace")
		ns.SetName(name)
		objs = append([]*unstructured.Unstructured{ns}, objs...)
	}
	for _, ns := range find(objs, "Namespace") {
		if err := apply(ctx, ns); err != nil {
			return 0, []error{fmt.Errorf("creating namespace %s: %w", ns.GetName(), err)}
		}
	}
	var errs []error
	applied := 0
	for _, o := range objs {
		if o.GetKind() == "CustomResourceDefinition" || o.GetKind() == "Namespace" {
			continue
		}
		if err := apply(ctx, o, client.DryRunAll); err != nil {
			errs = append(errs, fmt.Errorf("%s %s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err))
			continue
		}
		applied++
	}
	return applied, errs
}

// apply server-side applies an object as `kubectl apply --server-side` does.
func apply(ctx context.Context, o *unstructured.Unstructured, opts ...client.ApplyOption) error {
	opts = append(opts, client.FieldOwner("deploy-test"), client.ForceOwnership)
	err := k8s.Apply(ctx, client.ApplyConfigurationFromUnstructured(o.DeepCopy()), opts...)
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}
