// Package gitops proves that the tools people deploy this operator with read
// its objects right: Flux's kstatus and Argo CD's health check (the Lua
// script in docs/argocd/) see every kind in every state of its life cycle as
// stored by a real API server, and `kubectl explain` documents every field.
package gitops

import (
	"context"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// repoRoot is the checkout's top directory, relative to this package.
const repoRoot = "../.."

var (
	testEnv *envtest.Environment
	// stored holds every fixture as read back from the API server, by fixture name.
	stored = map[string]*unstructured.Unstructured{}
)

func TestGitOps(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "GitOps health: kstatus and Argo CD")
}

var _ = BeforeSuite(func() {
	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(repoRoot, "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := testEnv.Start()
	Expect(err).NotTo(HaveOccurred())

	scheme := runtime.NewScheme()
	Expect(clientgoscheme.AddToScheme(scheme)).To(Succeed())
	Expect(v1alpha1.AddToScheme(scheme)).To(Succeed())
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	Expect(err).NotTo(HaveOccurred())

	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "gitops-"}}
	Expect(c.Create(ctx, ns)).To(Succeed())
	for i, f := range allFixtures() {
		u, err := store(ctx, c, ns.Name, f, objectName(i))
		Expect(err).NotTo(HaveOccurred())
		stored[f.name()] = u
	}
})

var _ = AfterSuite(func() {
	if testEnv != nil {
		Expect(testEnv.Stop()).To(Succeed())
	}
})

// objectName gives each fixture its own valid object name.
func objectName(i int) string {
	return "fixture-" + string(rune('a'+i/26)) + string(rune('a'+i%26))
}

// fixtureEntries turns the fixtures into table entries named after them.
func fixtureEntries() []TableEntry {
	var entries []TableEntry
	for _, f := range allFixtures() {
		entries = append(entries, Entry(f.name(), f))
	}
	return entries
}
