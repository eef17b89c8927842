package deploy_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	corev1 "k8s.io/api/core/v1"
)

var _ = Describe("The Helm chart", func() {
	It("passes helm lint --strict, with its defaults and with every option set", func() {
		for _, values := range []map[string]any{nil, everyOption} {
			linter := lint.AllWithKubeVersion(chartDir(), values, "pco-lint", nil)
			Expect(linter.Messages).NotTo(BeEmpty(), "the linter ran (it reports at least informational messages)")
			for _, m := range linter.Messages {
				// --strict fails on warnings as on errors.
				Expect(m.Severity).To(BeNumerically("<", support.WarningSev), "%s", m)
			}
		}
	})

	It("scopes every name to the release, so two releases coexist", func() {
		first, err := renderRelease("partnercenter-operator", "pco-shared", nil)
		Expect(err).NotTo(HaveOccurred())
		second, err := renderRelease("second", "pco-shared", map[string]any{"crd": map[string]any{"enable": false}})
		Expect(err).NotTo(HaveOccurred())
		Expect(objectKeys(second)).NotTo(ContainElements(objectKeys(first)))
		Expect(manager(second).Spec.Selector.MatchLabels).NotTo(Equal(manager(first).Spec.Selector.MatchLabels))
	})

	DescribeTable("refuses values that cannot work, as helm install does (values.schema.json)",
		func(values map[string]any, want string) {
			_, err := renderChart("pco-schema", values)
			Expect(err).To(MatchError(ContainSubstring(want)))
		},
		Entry("an unknown partner role", map[string]any{"partnerCenter": map[string]any{"role": "Reseller"}}, "role"),
		Entry("a Partner Center URL that is not https", map[string]any{"partnerCenter": map[string]any{"url": "api.partnercenter.microsoft.com"}}, "url"),
		Entry("an invitation link that is not a URL", map[string]any{"partnerCenter": map[string]any{"resellerInvitationURL": "ask Bob"}}, "resellerInvitationURL"),
		Entry("live without the partner's e-mail domain (the manager would not start)", map[string]any{"partnerCenter": map[string]any{"url": liveURL}}, "partnerDomain"),
		Entry("a misspelt value", map[string]any{"replica": 2}, "replica"),
		Entry("no replica", map[string]any{"replicas": 0}, "replicas"),
		Entry("a namespace that is no DNS label", map[string]any{"watchNamespaces": []any{"Team_A"}}, "watchNamespaces"),
		Entry("an unknown certificate mode", map[string]any{"webhook": map[string]any{"certMode": "vault"}}, "certMode"),
	)

	It("renders pull secrets, pod labels and annotations, priority class, resources and a PodDisruptionBudget", func() {
		objs, err := renderChart("pco-options", everyOption)
		Expect(err).NotTo(HaveOccurred())
		pod := manager(objs).Spec.Template
		Expect(pod.Spec.ImagePullSecrets).To(ConsistOf(corev1.LocalObjectReference{Name: "regcred"}))
		Expect(pod.Labels).To(HaveKeyWithValue("team", "billing"))
		Expect(pod.Annotations).To(HaveKeyWithValue("prometheus.io/scrape", "false"))
		Expect(pod.Spec.PriorityClassName).To(Equal("system-cluster-critical"))
		Expect(pod.Spec.Containers[0].Resources.Limits.Memory().String()).To(Equal("512Mi"))
		pdbs := find(objs, "PodDisruptionBudget")
		Expect(pdbs).To(HaveLen(1))
		Expect(pdbs[0].Object["spec"]).To(HaveKeyWithValue("minAvailable", BeNumerically("==", 1)))

		single, err := renderChart("pco-options", nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(find(single, "PodDisruptionBudget")).To(BeEmpty(), "one replica: a budget would block every drain")
	})
})

// everyOption sets each optional value of the chart.
var everyOption = map[string]any{
	"replicas":          3,
	"imagePullSecrets":  []any{map[string]any{"name": "regcred"}},
	"podLabels":         map[string]any{"team": "billing"},
	"podAnnotations":    map[string]any{"prometheus.io/scrape": "false"},
	"priorityClassName": "system-cluster-critical",
	"watchNamespaces":   []any{"customers"},
	"networkPolicy":     map[string]any{"enable": true},
	"prometheus":        map[string]any{"enable": true},
	"resources":         map[string]any{"limits": map[string]any{"memory": "512Mi"}},
	"partnerCenter": map[string]any{"url": liveURL, "role": "IndirectProvider", "partnerDomain": "partner.example",
		"resellerInvitationURL": "https://partner.microsoft.com/invite/abc"},
}
