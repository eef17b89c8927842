package crd

import (
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// loadSample reads one YAML object from config/samples.
func loadSample(path string) *unstructured.Unstructured {
	raw, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	obj := &unstructured.Unstructured{}
	Expect(yaml.Unmarshal(raw, &obj.Object)).To(Succeed())
	return obj
}

var _ = Describe("config/samples", func() {
	It("are all admitted by the API server", func() {
		ns := newNamespace()
		paths, err := filepath.Glob(filepath.Join("..", "..", "config", "samples", "partnercenter_*.yaml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(paths).To(HaveLen(7))
		for _, p := range paths {
			obj := loadSample(p)
			obj.SetNamespace(ns)
			Expect(k8sClient.Create(ctx, obj)).To(Succeed(), p)
		}
	})

	It("C6: the deliberately invalid sample is refused with a message naming what is missing", func() {
		obj := loadSample(filepath.Join("..", "..", "config", "samples", "invalid", "customer_missing_registration.yaml"))
		obj.SetNamespace(newNamespace())
		Expect(refusal(obj)).To(ContainSubstring("C6: a company in TR needs both companyRegistrationID"))
	})
})
