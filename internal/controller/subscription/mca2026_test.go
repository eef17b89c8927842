package subscription_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// The order gate with the MCA as Partner Center takes it in 2026 (M11, M12).
var _ = Describe("Subscription with the 2026 MCA", func() {
	var ns string
	ctx := context.Background()
	inNewNamespace(&ns)

	It("M11: the attestation link is published, the customer accepts it, the agreement is created and the held order is placed", func() {
		sim.SetAttestationAcceptDelay(-1)
		DeferCleanup(func() { sim.SetAttestationAcceptDelay(0) })
		c, id := createdCustomer(ns, "linked")
		approve(c, id)
		s := subscriptionObject(ns, "linked", "linked", 3)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		a := attestationObject(ns, "linked", "linked")
		Expect(k8s.Create(ctx, a)).To(Succeed())

		link := testenv.Eventually(k8s, a, func(a *v1alpha1.MCAAttestation) bool {
			return a.Status.Attestation != nil && a.Status.Attestation.AcceptanceURL != ""
		}, "no acceptance link was published").Status.Attestation
		blockedWith(s, v1alpha1.ReasonAgreementNotAccepted)
		Expect(ordersOf(id)).To(BeEmpty(), "nothing is ordered before the customer accepted the link")

		Expect(sim.CustomerAcceptsAttestation(link.ID)).To(Succeed())
		ordered(s)
		Expect(ordersOf(id)).To(HaveLen(1))
		Expect(simRecordAgreements(id)).To(ConsistOf(HaveField("AttestationID", link.ID)))
	})

	It("M12: an acceptance dated before 2023-04-01 blocks the order until the customer accepted again", func() {
		c, id := createdCustomer(ns, "veteran")
		Expect(sim.SeedAgreement(id, wire.Agreement{
			PrimaryContact: wire.Contact{FirstName: "Tania", LastName: "Carr", Email: "tania@veteran.example"},
			TemplateID:     wire.MCATemplateID, Type: wire.AgreementTypeMCA, DateAgreed: "2021-06-14T00:00:00Z",
		})).To(Succeed())
		approve(c, id)
		testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
			return testenv.HasCondition(c, v1alpha1.ConditionAgreementAccepted, metav1.ConditionFalse, customer.ReasonReacceptanceRequired.Name)
		}, "the 2021 acceptance was counted")
		before := purchaseCalls()
		s := subscriptionObject(ns, "veteran", "veteran", 2)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		blockedWith(s, v1alpha1.ReasonAgreementNotAccepted)
		Consistently(func() int { return purchaseCalls() }).Should(Equal(before), "the gate holds the order; Partner Center would refuse it (13605)")

		attest(ns, "veteran") // the same person accepts again through a new link
		ordered(s)
	})
})

// simRecordAgreements are the agreements the simulator holds for a customer.
func simRecordAgreements(customerID string) []wire.Agreement {
	r, ok := sim.Customer(customerID)
	Expect(ok).To(BeTrue())
	return r.Agreements
}
