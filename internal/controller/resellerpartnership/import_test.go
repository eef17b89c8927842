package resellerpartnership_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

var _ = Describe("Importing partnerships", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() { ns = newNamespace() })

	It("I1: adopts an active partnership without a request or an e-mail; an Observe one holds no finalizer and its deletion removes nothing", func() {
		mpn := testenv.NewMPNID()
		_, err := sim.Seed(pcsim.Book{Resellers: []pcsim.Reseller{{MPNID: mpn, Name: "First Up Consultants"}}})
		Expect(err).NotTo(HaveOccurred())
		rp := partnership(ns, "first-up", mpn)
		rp.Spec.ResellerEmail = "" // an imported partnership has no request to send
		rp.Spec.ManagementPolicy = v1alpha1.ManagementPolicyObserve
		Expect(k8s.Create(ctx, rp)).To(Succeed())
		got := active(rp)
		Expect(got.Status.ResellerName).To(Equal("First Up Consultants"))
		Expect(got.Status.EmailDraft).To(BeNil(), "an e-mail was drafted for a partnership that is active")
		Expect(got.Status.PartnershipRequestURL).To(BeEmpty())
		Expect(controllerutil.ContainsFinalizer(got, v1alpha1.Finalizer)).To(BeFalse(), "an Observe partnership holds a finalizer")

		update(rp, func(rp *v1alpha1.ResellerPartnership) {
			rp.Spec.State, rp.Spec.RemovalConfirmation = v1alpha1.PartnershipRemoved, "ticket 42"
		})
		eventually(rp, func(rp *v1alpha1.ResellerPartnership) bool {
			return hasCondition(rp, v1alpha1.ConditionReady, "False", status.ReasonObserveOnly.Name)
		}, "an Observe partnership asked to be removed was not held")
		Expect(get(rp).Status.Phase).To(Equal(v1alpha1.PhaseActive))

		Expect(k8s.Delete(ctx, rp)).To(Succeed())
		Eventually(gone(rp)).Should(BeTrue())
		Expect(listed(mpn)).To(BeTrue(), "deleting an Observe partnership removed it")
	})
})
