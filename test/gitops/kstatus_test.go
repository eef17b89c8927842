package gitops

import (
	kstatus "github.com/fluxcd/cli-utils/pkg/kstatus/status"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Flux (kustomize-controller health checks, `flux events`) and kpt compute an
// object's health with kstatus; this is what they see for each state.
var _ = Describe("kstatus (Flux)", func() {
	DescribeTable("computes the status a Flux user expects",
		func(f fixture) {
			u := stored[f.name()]
			Expect(u).NotTo(BeNil(), "fixture %s was not stored", f.name())
			res, err := kstatus.Compute(u)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.Status).To(Equal(f.state.kstatus), "kstatus message: %s", res.Message)
		},
		fixtureEntries(),
	)
})
