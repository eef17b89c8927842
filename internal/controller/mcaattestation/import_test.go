package mcaattestation_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

var _ = Describe("Importing agreements", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() { ns = newNamespace() })

	It("I1: adopts the MCA acceptance Partner Center already holds without attesting again; an Observe one without it attests nothing until Manage", func() {
		signer := wire.Contact{FirstName: "Tania", LastName: "Carr", Email: "tania@northwind.example", PhoneNumber: "1234567890"}
		seeded, err := sim.Seed(pcsim.Book{Customers: []pcsim.BookCustomer{
			{CompanyName: "Northwind Traders", MCAAcceptedBy: &signer},
			{CompanyName: "Litware Inc"},
			{CompanyName: "Wingtip Toys", MCASignedDirectly: true},
		}})
		Expect(err).NotTo(HaveOccurred())
		attested, bare := seeded.CustomerIDs[0], seeded.CustomerIDs[1]
		for name, id := range map[string]string{"northwind": attested, "litware": bare, "wingtip": seeded.CustomerIDs[2]} {
			c := newCustomerObject(ns, name)
			Expect(k8s.Create(ctx, c)).To(Succeed())
			giveCustomerID(c, id, "")
		}
		attests, links := sim.Calls(wire.OpCreateAgreement), sim.Calls(wire.OpGetRelationshipRequest)

		adopted := partnerAttestation(ns, "northwind-mca", "northwind")
		adopted.Spec.ManagementPolicy = v1alpha1.ManagementPolicyObserve
		adopted.Spec.AcceptedBy = &v1alpha1.AcceptingPerson{FirstName: signer.FirstName, LastName: signer.LastName, Email: signer.Email, PhoneNumber: signer.PhoneNumber}
		Expect(k8s.Create(ctx, adopted)).To(Succeed())
		got := accepted(adopted)
		Expect(got.Status.AgreementStatus).To(Equal(v1alpha1.AgreementProvided))
		Expect(got.Annotations).NotTo(HaveKey("partnercenter.csp.dev/attest-request-id"), "an attestation request was prepared for an adopted agreement")

		signed := directAcceptance(ns, "wingtip-mca", "wingtip")
		signed.Spec.ManagementPolicy = v1alpha1.ManagementPolicyObserve
		Expect(k8s.Create(ctx, signed)).To(Succeed())
		Expect(accepted(signed).Status.InvitationURL).To(BeEmpty(), "an Observe attestation published an invitation")
		Expect(sim.Calls(wire.OpGetRelationshipRequest)).To(Equal(links))

		observed := partnerAttestation(ns, "litware-mca", "litware")
		observed.Spec.ManagementPolicy = v1alpha1.ManagementPolicyObserve
		Expect(k8s.Create(ctx, observed)).To(Succeed())
		waitingWith(observed, status.ReasonObserveOnly.Name)
		Expect(sim.Calls(wire.OpCreateAgreement)).To(Equal(attests), "an Observe MCAAttestation attested")
		Expect(simRecord(attested).Agreements).To(HaveLen(1))

		Eventually(func() error {
			cur := get(observed)
			cur.Spec.ManagementPolicy = v1alpha1.ManagementPolicyManage
			return k8s.Update(ctx, cur)
		}).Should(Succeed())
		accepted(observed)
		// Exactly one agreement: a replay of the persisted MS-RequestId is answered with the original.
		Expect(simRecord(bare).Agreements).To(HaveLen(1), "switched to Manage, the attestation was not made exactly once")
	})
})
