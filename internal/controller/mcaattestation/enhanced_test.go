package mcaattestation_test

import (
	"context"
	"slices"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// The partner attestation on Partner Center's enhanced attestation flow (M11, M12).
var _ = Describe("MCAAttestation on the enhanced attestation flow", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() {
		ns = newNamespace()
		// The simulated customers accept a link only when a test makes them.
		sim.SetAttestationAcceptDelay(-1)
		DeferCleanup(func() { sim.SetAttestationAcceptDelay(0) })
	})

	It("M11: publishes the acceptance link with its expiry in status and an event, waits until the customer accepts it, then creates the agreement with the attestation ID", func() {
		_, id := existingCustomer(ns, "linked")
		a := partnerAttestation(ns, "linked", "linked")
		a.Spec.DateAgreed = env.Clock.Now().UTC().Add(-24 * time.Hour).Format(time.DateOnly) // M3: still valid input
		Expect(k8s.Create(ctx, a)).To(Succeed())

		waiting := waitingWith(a, mcaattestation.ReasonWaitingForCustomerAcceptance.Name)
		link := waiting.Status.Attestation
		Expect(link).NotTo(BeNil())
		Expect(link.AcceptanceURL).To(Equal(wire.AcceptanceURL(link.ID, "en", "US")))
		Expect(link.State).To(Equal(wire.AttestationPending))
		Expect(link.ExpiresAt.Sub(link.CreatedAt.Time)).To(Equal(7*24*time.Hour), "the longest link Partner Center allows")
		Expect(status.Get(waiting, v1alpha1.ConditionReady).Message).To(ContainSubstring(link.AcceptanceURL))
		Expect(waiting.Annotations[mcaattestation.AnnotationAttestationID]).To(Equal(link.ID), "the attestation ID is persisted")
		Eventually(func() string { return eventNotes(a)[mcaattestation.EventAttestationLinkReady] }).Should(ContainSubstring(link.AcceptanceURL))
		Consistently(func() []wire.Agreement { return simRecord(id).Agreements }).WithTimeout(500*time.Millisecond).
			Should(BeEmpty(), "no agreement before the customer accepted")

		Expect(sim.CustomerAcceptsAttestation(link.ID)).To(Succeed())
		done := accepted(a)
		recorded := simRecord(id).Agreements
		Expect(recorded).To(HaveLen(1))
		Expect(recorded[0].AttestationID).To(Equal(link.ID))
		Expect(done.Status.Attestation.State).To(Equal(wire.AttestationAccepted))
		Expect(done.Status.DateAgreed).To(Equal(today()), "status shows Partner Center's acceptance date, not spec.dateAgreed")
		Expect(done.Status.AgreementStatus).To(Equal(v1alpha1.AgreementProvided))
	})

	It("M11: the legacy attestation (contact and date, no customer action) is refused past 2026-01-05; the operator attests through an attestation ID", func() {
		_, id := existingCustomer(ns, "legacy")
		_, err := env.PC.CreateAgreement(ctx, "legacy-"+id, id, wire.Agreement{
			PrimaryContact: wire.Contact{FirstName: "Tania", LastName: "Carr", Email: "tania@legacy.example"},
			TemplateID:     wire.MCATemplateID, Type: wire.AgreementTypeMCA,
			DateAgreed: wire.FormatTime(env.Clock.Now().Add(-time.Hour)),
		})
		Expect(partnercenter.ErrorCode(err)).To(Equal(wire.CodeInvalidInput))
		Expect(err.Error()).To(ContainSubstring("retired on 2026-01-05"))

		a := partnerAttestation(ns, "legacy", "legacy")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		link := waitingWith(a, mcaattestation.ReasonWaitingForCustomerAcceptance.Name).Status.Attestation
		Expect(sim.CustomerAcceptsAttestation(link.ID)).To(Succeed())
		accepted(a)
		Expect(simRecord(id).Agreements).To(ConsistOf(HaveField("AttestationID", link.ID)))
	})

	It("M11: an expired link is replaced once by a new attestation with a new MS-RequestId, and the object says so", func() {
		_, id := existingCustomer(ns, "expired")
		a := partnerAttestation(ns, "expired", "expired")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		first := waitingWith(a, mcaattestation.ReasonWaitingForCustomerAcceptance.Name)
		firstID, firstRequest := first.Status.Attestation.ID, first.Annotations[mcaattestation.AnnotationAttestationRequestID]
		Expect(firstRequest).NotTo(BeEmpty())

		Expect(sim.Advance(7*24*time.Hour + time.Minute)).To(Succeed())
		replaced := eventually(a, func(a *v1alpha1.MCAAttestation) bool {
			return a.Status.Attestation != nil && a.Status.Attestation.ID != firstID && a.Status.Attestation.ExpiredLinksReplaced == 1
		}, "the expired link was not replaced")
		Expect(replaced.Annotations[mcaattestation.AnnotationAttestationRequestID]).NotTo(Equal(firstRequest), "a new request, not a replay")
		Expect(replaced.Status.Attestation.State).To(Equal(wire.AttestationPending))
		Eventually(func() string { return eventNotes(a)[mcaattestation.EventAttestationLinkExpired] }).Should(ContainSubstring(firstID))
		Expect(sim.CustomerAcceptsAttestation(firstID)).NotTo(Succeed(), "an expired link can no longer be accepted")
		Consistently(func() int { return len(attestationsFor(a.Spec.AcceptedBy.Email)) }).WithTimeout(time.Second).
			Should(Equal(2), "the expired link was replaced once")

		Expect(sim.CustomerAcceptsAttestation(replaced.Status.Attestation.ID)).To(Succeed())
		done := accepted(a)
		Expect(done.Status.Attestation.ExpiredLinksReplaced).To(Equal(int32(1)))
		Expect(simRecord(id).Agreements).To(ConsistOf(HaveField("AttestationID", replaced.Status.Attestation.ID)))
	})

	It("M11: a crash between creating the attestation and recording it replays the same MS-RequestId and leaves one live link", func() {
		existingCustomer(ns, "crash")
		external.loseAttestationAnswers.Store(1)
		DeferCleanup(func() { external.loseAttestationAnswers.Store(0) })
		a := partnerAttestation(ns, "crash", "crash")
		Expect(k8s.Create(ctx, a)).To(Succeed())

		waiting := waitingWith(a, mcaattestation.ReasonWaitingForCustomerAcceptance.Name)
		Expect(external.loseAttestationAnswers.Load()).To(BeNumerically("<", 0), "the first answer was lost")
		Consistently(func() []wire.EnhancedAttestation { return attestationsFor(a.Spec.AcceptedBy.Email) }).WithTimeout(time.Second).
			Should(ConsistOf(HaveField("AttestationID", waiting.Status.Attestation.ID)), "one live link for one object")
	})

	It("M11: the agreement names the person who accepted the link, even if acceptedBy changed after the link went out", func() {
		_, id := existingCustomer(ns, "changed")
		a := partnerAttestation(ns, "changed", "changed")
		Expect(k8s.Create(ctx, a)).To(Succeed())
		link := waitingWith(a, mcaattestation.ReasonWaitingForCustomerAcceptance.Name).Status.Attestation
		Eventually(func() error {
			cur := get(a)
			cur.Spec.AcceptedBy.Email = "someone.else@changed.example"
			return k8s.Update(ctx, cur)
		}).Should(Succeed())

		Expect(sim.CustomerAcceptsAttestation(link.ID)).To(Succeed())
		accepted(a)
		Expect(simRecord(id).Agreements).To(ConsistOf(And(
			HaveField("AttestationID", link.ID), HaveField("PrimaryContact.Email", "tania@changed.example"))))
	})

	It("M12: a customer whose only acceptance predates 2023-04-01 shows AgreementAccepted=False and must accept again; its MCAAttestation proceeds as for a new customer", func() {
		id := remoteCustomer()
		Expect(sim.SeedAgreement(id, wire.Agreement{
			PrimaryContact: wire.Contact{FirstName: "Tania", LastName: "Carr", Email: "tania@veteran.example", PhoneNumber: "1234567890"},
			TemplateID:     wire.MCATemplateID, Type: wire.AgreementTypeMCA, DateAgreed: "2021-06-14T00:00:00Z",
		})).To(Succeed())
		c := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "veteran"}, Spec: v1alpha1.CustomerSpec{ExistingCustomerTenantID: id}}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		outdated := testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
			return testenv.HasCondition(c, v1alpha1.ConditionAgreementAccepted, metav1.ConditionFalse, customer.ReasonReacceptanceRequired.Name)
		}, "the outdated acceptance was counted")
		Expect(outdated.Status.AgreementStatus).To(Equal(v1alpha1.AgreementNotProvided))
		Expect(status.Get(outdated, v1alpha1.ConditionAgreementAccepted).Message).To(And(ContainSubstring("2023-04-01"), ContainSubstring("accept again")))

		a := partnerAttestation(ns, "veteran", "veteran") // the same person as in 2021
		Expect(k8s.Create(ctx, a)).To(Succeed())
		link := waitingWith(a, mcaattestation.ReasonWaitingForCustomerAcceptance.Name).Status.Attestation
		Expect(sim.CustomerAcceptsAttestation(link.ID)).To(Succeed())
		Expect(accepted(a).Status.NotificationDueBy).NotTo(BeNil(), "a new agreement, not a 600061 on the 2021 one")
		testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
			return testenv.HasCondition(c, v1alpha1.ConditionAgreementAccepted, metav1.ConditionTrue, "")
		}, "the re-acceptance was not mirrored on the Customer")
	})
})

// attestationsFor lists the simulator's attestations for a signatory e-mail.
func attestationsFor(email string) []wire.EnhancedAttestation {
	return slices.DeleteFunc(sim.Attestations(), func(a wire.EnhancedAttestation) bool { return a.SignatoryEmail != email })
}
