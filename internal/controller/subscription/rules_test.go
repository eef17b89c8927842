package subscription_test

import (
	"context"
	"time"

	"github.com/google/uuid"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

var _ = Describe("Subscription", func() {
	var ns string
	ctx := context.Background()
	inNewNamespace(&ns)

	// message is the Ready condition's message.
	message := func(s *v1alpha1.Subscription) string { return status.Get(s, v1alpha1.ConditionReady).Message }

	It("S4: the order gate checks in order (customer exists, Approved, MCA accepted, reseller partnership Active), names what it waits for, is woken by watches and calls Partner Center for nothing until all pass", func() {
		before := purchaseCalls()
		s := subscriptionObject(ns, "gated", "contoso", 5)
		s.Spec.ResellerRef = &v1alpha1.LocalObjectReference{Name: "trey"}
		Expect(k8s.Create(ctx, s)).To(Succeed())

		Expect(message(blockedWith(s, v1alpha1.ReasonCustomerNotCreated))).To(ContainSubstring(`Customer "contoso"`))
		c, id := createdCustomer(ns, "contoso")
		Expect(message(blockedWith(s, v1alpha1.ReasonCustomerNotApproved))).To(And(ContainSubstring(`Customer "contoso"`), ContainSubstring("C10")))
		approve(c, id)
		Expect(message(blockedWith(s, v1alpha1.ReasonAgreementNotAccepted))).To(And(ContainSubstring(`Customer "contoso"`), ContainSubstring("MCAAttestation")))
		attest(ns, "contoso")
		Expect(message(blockedWith(s, v1alpha1.ReasonResellerPartnershipNotActive))).To(And(ContainSubstring(`ResellerPartnership "trey"`), ContainSubstring("missing")))
		Expect(purchaseCalls()).To(Equal(before), "no order call while the gate is closed")

		mpn := activePartnership(ns, "trey")
		done := ordered(s)
		Expect(hasCondition(done, v1alpha1.ConditionOrderBlocked, metav1.ConditionFalse, subscription.ReasonOrderAllowed.Name)).To(BeTrue())
		orders := ordersOf(id)
		Expect(orders).To(HaveLen(1))
		Expect(orders[0].LineItems[0].PartnerIDOnRecord).To(Equal(mpn))
	})

	It("C10: an order attempted before the customer is approved makes zero order calls; the approval places it", func() {
		c, id := createdCustomer(ns, "reviewed")
		attest(ns, "reviewed")
		before := purchaseCalls()
		s := subscriptionObject(ns, "early", "reviewed", 3)
		Expect(k8s.Create(ctx, s)).To(Succeed())

		blockedWith(s, v1alpha1.ReasonCustomerNotApproved)
		Consistently(func() int { return purchaseCalls() }).
			WithTimeout(time.Second).Should(Equal(before), "an order call was made for a customer under review")

		approve(c, id) // the Customer watch wakes the Subscription
		done := ordered(s)
		Expect(ordersOf(id)).To(HaveLen(1))
		Expect(done.Status.OrderID).To(Equal(ordersOf(id)[0].ID))
	})

	It("M10: an order for an existing customer whose acceptance is not confirmed is held until an attestation exists, and tells its MCAAttestation the partner must attest (M9)", func() {
		tenant := uuid.NewString()
		Expect(sim.AddExistingTenant(tenant, "Fabrikam Ltd")).To(Succeed())
		c := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "fabrikam"},
			Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: tenant},
		}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		Expect(sim.AcceptRelationshipRequest(tenant)).To(Succeed())
		testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
			return c.Status.CustomerID == tenant && testenv.HasCondition(c, v1alpha1.ConditionVerified, metav1.ConditionTrue, "")
		}, "the existing customer was never adopted")
		a := &v1alpha1.MCAAttestation{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "fabrikam"},
			Spec:       v1alpha1.MCAAttestationSpec{CustomerRef: v1alpha1.LocalObjectReference{Name: "fabrikam"}, Method: v1alpha1.MethodDirectAcceptance},
		}
		Expect(k8s.Create(ctx, a)).To(Succeed())
		before := purchaseCalls()

		s := subscriptionObject(ns, "fabrikam-m365", "fabrikam", 10)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		Expect(message(blockedWith(s, v1alpha1.ReasonAgreementNotAccepted))).To(ContainSubstring(`MCAAttestation "fabrikam"`))
		testenv.Eventually(k8s, a, func(a *v1alpha1.MCAAttestation) bool {
			return testenv.HasCondition(a, v1alpha1.ConditionStalled, metav1.ConditionTrue, mcaattestation.ReasonPartnerAttestationRequired.Name)
		}, "the held order did not tell the attestation that the partner must attest")
		Expect(purchaseCalls()).To(Equal(before))

		Eventually(func() error {
			cur := testenv.Fetch(k8s, a)
			cur.Spec = attestationObject(ns, "fabrikam", "fabrikam").Spec
			return k8s.Update(ctx, cur)
		}).Should(Succeed())
		ordered(s)
		Expect(ordersOf(tenant)).To(HaveLen(1))
	})

	It("S4: Partner Center's own refusals (800073 under review, 13605 no agreement) hold the order with the same OrderBlocked reasons, not a generic failure", func() {
		By("800073: the customer went back under review before its Customer object noticed")
		_, id := buyableCustomer(ns, "stale")
		Expect(sim.SetVerificationStatus(id, wire.AccountStatusUnderReview)).To(Succeed())
		s := subscriptionObject(ns, "stale", "stale", 2)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		Expect(message(blockedWith(s, v1alpha1.ReasonCustomerNotApproved))).To(And(ContainSubstring("Partner Center refused"), ContainSubstring("800073")))
		Expect(sim.ApproveVerification(id)).To(Succeed())
		ordered(s)
		Expect(ordersOf(id)).To(HaveLen(1))

		By("13605: an attestation shows Accepted but Partner Center has no agreement")
		c, id2 := createdCustomer(ns, "unsigned")
		approve(c, id2)
		a := attestationObject(ns, "unsigned", "unsigned")
		a.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
		Expect(k8s.Create(ctx, a)).To(Succeed())
		a = testenv.Eventually(k8s, a, func(a *v1alpha1.MCAAttestation) bool {
			return testenv.HasCondition(a, v1alpha1.ConditionPaused, metav1.ConditionTrue, "")
		}, "the attestation was never paused")
		a.Status.Conditions = append(a.Status.Conditions, metav1.Condition{Type: v1alpha1.ConditionAccepted, Status: metav1.ConditionTrue, Reason: "Accepted", Message: "claimed", LastTransitionTime: metav1.Now()})
		Expect(k8s.Status().Update(ctx, a)).To(Succeed())
		unsigned := subscriptionObject(ns, "unsigned", "unsigned", 2)
		Expect(k8s.Create(ctx, unsigned)).To(Succeed())
		Expect(message(blockedWith(unsigned, v1alpha1.ReasonAgreementNotAccepted))).To(ContainSubstring("13605"))
		Expect(ordersOf(id2)).To(BeEmpty())
		Expect(testenv.EventNotes(k8s, unsigned)[subscription.EventOrderBlocked]).To(ContainSubstring("Microsoft Customer Agreement"))
	})

	It("S2: a failure after the order call, and another before its status is written, still end with exactly one order (the same MS-RequestId is replayed)", func() {
		_, id := buyableCustomer(ns, "crashy")
		injected.arm(loseOrderAnswer, "crashy")
		injected.arm(failStatusWrite, "crashy")
		before := sim.Calls(wire.OpCreateOrder)
		s := subscriptionObject(ns, "crashy", "crashy", 4)
		s.Spec.OfferID = legacyOffer
		Expect(k8s.Create(ctx, s)).To(Succeed())

		done := ordered(s)
		orders := ordersOf(id)
		Expect(orders).To(HaveLen(1), "a retry placed a second order")
		Expect(done.Status.OrderID).To(Equal(orders[0].ID))
		Expect(done.Status.SubscriptionID).To(Equal(orders[0].LineItems[0].SubscriptionID))
		Expect(sim.Calls(wire.OpCreateOrder)-before).To(BeNumerically(">=", 3), "the lost answer and the failed status write were both retried")
		Expect(injected.requestIDs("crashy")).To(HaveEach(done.Annotations[subscription.AnnotationOrderRequestID]), "every retry replays the persisted MS-RequestId")
		Eventually(func() string { return testenv.EventNotes(k8s, done)[subscription.EventOrdered] }).WithTimeout(testenv.EventuallyTimeout).
			Should(And(ContainSubstring(orders[0].ID), ContainSubstring("(attempt 1)")), "the Ordered event names the one order and the attempt every retry replayed")
	})

	It("S2: on 409 800060 the order in progress is looked up and recorded, never resubmitted", func() {
		_, id := buyableCustomer(ns, "busy")
		inProgress, err := env.PC.CreateOrder(ctx, uuid.NewString(), id, wire.Order{LineItems: []wire.OrderLineItem{{OfferID: legacyOffer, Quantity: 6}}})
		Expect(err).NotTo(HaveOccurred())
		Expect(inProgress.Status).To(Equal(wire.OrderStatusPending))

		s := subscriptionObject(ns, "busy", "busy", 6)
		s.Spec.OfferID = legacyOffer
		Expect(k8s.Create(ctx, s)).To(Succeed())
		done := ordered(s)
		Expect(ordersOf(id)).To(HaveLen(1), "the order was resubmitted")
		Expect(done.Status.OrderID).To(Equal(inProgress.ID))
		Expect(done.Status.SubscriptionID).To(Equal(inProgress.LineItems[0].SubscriptionID))
		Eventually(func() string { return testenv.EventNotes(k8s, done)[subscription.EventOrdering] }).WithTimeout(testenv.EventuallyTimeout).
			Should(And(ContainSubstring(inProgress.ID), ContainSubstring("800060")), "the Ordering event says the order in progress was recorded, not resubmitted")
	})

	It("S1: a subscription is an offer and a quantity for a term and billing cycle, with the reseller's MPN ID as partner of record and the reseller as designated support contact (R3, R5)", func() {
		_, id := buyableCustomer(ns, "full")
		mpn := activePartnership(ns, "trey")
		s := subscriptionObject(ns, "full", "full", 12)
		s.Spec.TermDuration, s.Spec.BillingCycle = "P1Y", v1alpha1.BillingAnnual
		s.Spec.ResellerRef = &v1alpha1.LocalObjectReference{Name: "trey"}
		s.Spec.SupportContactRef = &v1alpha1.LocalObjectReference{Name: "trey"}
		Expect(k8s.Create(ctx, s)).To(Succeed())

		done := ordered(s)
		orders := ordersOf(id)
		Expect(orders).To(HaveLen(1))
		Expect(orders[0].BillingCycle).To(Equal(wire.BillingCycleAnnual))
		line := orders[0].LineItems[0]
		Expect(line.OfferID).To(Equal(offer))
		Expect(line.Quantity).To(Equal(12))
		Expect(line.TermDuration).To(Equal("P1Y"))
		Expect(line.PartnerIDOnRecord).To(Equal(mpn))
		Expect(remote(done.Status.SubscriptionID).PartnerID).To(Equal(mpn))
		contact, ok := sim.SupportContact(done.Status.SubscriptionID)
		Expect(ok).To(BeTrue(), "no support contact was set")
		Expect(contact.SupportMpnID).To(Equal(mpn))
		Expect(done.Status.PartnerIDOnRecord).To(Equal(mpn))
		Expect(done.Status.SupportContactMPNID).To(Equal(mpn))
		Expect(done.Status.Quantity).To(BeEquivalentTo(12))
		Expect(done.Status.RenewsAt).NotTo(BeNil())
	})

	It("S3: quantity and auto-renew changes are made on the existing subscription, never with a new order", func() {
		_, id := buyableCustomer(ns, "grow")
		s := subscriptionObject(ns, "grow", "grow", 5)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		subID := ordered(s).Status.SubscriptionID

		update(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity, s.Spec.AutoRenew = 8, new(false) })
		done := eventually(s, func(s *v1alpha1.Subscription) bool {
			return s.Status.Quantity == 8 && s.Status.AutoRenew != nil && !*s.Status.AutoRenew &&
				hasCondition(s, v1alpha1.ConditionReady, metav1.ConditionTrue, subscription.ReasonReady.Name)
		}, "the change was never applied")
		Expect(remote(subID).Quantity).To(Equal(8))
		Expect(remote(subID).AutoRenewEnabled).To(BeFalse())
		Expect(ordersOf(id)).To(HaveLen(1), "a change placed a new order")
		Expect(testenv.EventNotes(k8s, done)[subscription.EventUpdated]).To(ContainSubstring("quantity 5 → 8"))
	})

	It("S5: a re-verification holds a quantity change (ChangesBlocked) while the renewal still happens and renewsAt moves; the change is applied once approved (C10)", func() {
		c, id := buyableCustomer(ns, "reverify")
		s := subscriptionObject(ns, "reverify", "reverify", 5)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		first := ordered(s)
		subID, firstTermEnd := first.Status.SubscriptionID, first.Status.RenewsAt.Time

		Eventually(func() error { // new billing information: Partner Center verifies the customer again
			cur := testenv.Fetch(k8s, c)
			cur.Spec.Email = "accounts@contoso.example"
			return k8s.Update(ctx, cur)
		}).Should(Succeed())
		testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
			return testenv.HasCondition(c, v1alpha1.ConditionVerified, metav1.ConditionFalse, "")
		}, "the customer was never verified again")
		patches := sim.Calls(wire.OpUpdateSubscription)

		update(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity = 9 })
		held := eventually(s, func(s *v1alpha1.Subscription) bool {
			return hasCondition(s, v1alpha1.ConditionChangesBlocked, metav1.ConditionTrue, subscription.ReasonCustomerReverificationInProgress.Name)
		}, "the change was not held")
		Expect(status.Get(held, v1alpha1.ConditionChangesBlocked).Message).To(ContainSubstring("quantity 5 → 9"))
		Consistently(func() int { return sim.Calls(wire.OpUpdateSubscription) }).
			WithTimeout(500*time.Millisecond).Should(Equal(patches), "a change was sent while the customer is not approved")

		Expect(sim.Advance(firstTermEnd.Sub(env.Clock.Now()) + time.Hour)).To(Succeed())
		renewed := eventually(s, func(s *v1alpha1.Subscription) bool {
			return s.Status.RenewsAt != nil && s.Status.RenewsAt.After(firstTermEnd)
		}, "renewsAt never moved past the first term")
		Expect(renewed.Status.RemoteStatus).To(Equal(wire.SubscriptionStatusActive))
		Expect(remote(subID).Quantity).To(Equal(5))
		Expect(hasCondition(renewed, v1alpha1.ConditionChangesBlocked, metav1.ConditionTrue, "")).To(BeTrue())

		approve(c, id)
		eventually(s, func(s *v1alpha1.Subscription) bool {
			return s.Status.Quantity == 9 && hasCondition(s, v1alpha1.ConditionChangesBlocked, metav1.ConditionFalse, "")
		}, "the held change was not applied after the approval")
		Expect(remote(subID).Quantity).To(Equal(9))
	})

	It("S5: state Suspended cancels a new-commerce subscription inside the cancellation window", func() {
		buyableCustomer(ns, "cancel")
		early := subscriptionObject(ns, "early", "cancel", 2)
		earlyID := orderedNow(early).Status.SubscriptionID

		update(early, func(s *v1alpha1.Subscription) { s.Spec.State = v1alpha1.SubscriptionSuspended })
		eventually(early, func(s *v1alpha1.Subscription) bool {
			return s.Status.RemoteStatus == wire.SubscriptionStatusDeleted &&
				hasCondition(s, v1alpha1.ConditionReady, metav1.ConditionTrue, subscription.ReasonReady.Name)
		}, "the subscription was not cancelled")
		Expect(remote(earlyID).Status).To(Equal(wire.SubscriptionStatusDeleted))
	})

	It("deletionPolicy: Orphan leaves the subscription, Delete cancels it inside the window; outside it the deletion is refused at admission (S6) until Orphan lets the object go", func() {
		buyableCustomer(ns, "leaving")
		orphan := subscriptionObject(ns, "orphan", "leaving", 1)
		cancelled := subscriptionObject(ns, "cancelled", "leaving", 1)
		cancelled.Spec.DeletionPolicy = v1alpha1.DeletionPolicyDelete
		late := subscriptionObject(ns, "late", "leaving", 1)
		late.Spec.DeletionPolicy = v1alpha1.DeletionPolicyDelete
		orphanID, cancelledID, lateID := orderedNow(orphan).Status.SubscriptionID, orderedNow(cancelled).Status.SubscriptionID, orderedNow(late).Status.SubscriptionID
		released := func(s *v1alpha1.Subscription) {
			Eventually(func() bool {
				return apierrors.IsNotFound(k8s.Get(ctx, client.ObjectKeyFromObject(s), &v1alpha1.Subscription{}))
			}).WithTimeout(testenv.EventuallyTimeout).Should(BeTrue(), s.Name+" was never released")
		}
		gone := func(s *v1alpha1.Subscription) {
			Expect(k8s.Delete(ctx, s)).To(Succeed())
			released(s)
		}

		gone(orphan)
		Expect(remote(orphanID).Status).To(Equal(wire.SubscriptionStatusActive))
		gone(cancelled)
		Expect(remote(cancelledID).Status).To(Equal(wire.SubscriptionStatusDeleted))

		Expect(sim.Advance(8 * 24 * time.Hour)).To(Succeed())
		err := k8s.Delete(ctx, late)
		Expect(apierrors.IsInvalid(err)).To(BeTrue(), "a deletion that cancels after the window was admitted: %v", err)
		Expect(err.Error()).To(And(ContainSubstring("S6"), ContainSubstring("closed on"), ContainSubstring("deletionPolicy: Orphan")))
		update(late, func(s *v1alpha1.Subscription) { s.Spec.DeletionPolicy = v1alpha1.DeletionPolicyOrphan })
		gone(late)
		Expect(remote(lateID).Status).To(Equal(wire.SubscriptionStatusActive))
	})

	It("drift: a quantity changed outside the operator is reported (Synced=False, event) and set back to the spec on the resync", func() {
		_, id := buyableCustomer(ns, "drifty")
		s := subscriptionObject(ns, "drifty", "drifty", 5)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		subID := ordered(s).Status.SubscriptionID

		changed, err := env.PC.GetSubscription(ctx, id, subID) // someone changes it in the portal
		Expect(err).NotTo(HaveOccurred())
		changed.Quantity = 7
		_, err = env.PC.UpdateSubscription(ctx, uuid.NewString(), id, *changed)
		Expect(err).NotTo(HaveOccurred())
		Expect(remote(subID).Quantity).To(Equal(7))

		// The resync comes due on the simulated clock; the annotation wakes
		// the object now instead of after the real resync period.
		Expect(sim.Advance(2 * time.Hour)).To(Succeed())
		update(s, func(s *v1alpha1.Subscription) {
			metav1.SetMetaDataAnnotation(&s.ObjectMeta, "test/resync", rand.String(4))
		})
		done := eventually(s, func(s *v1alpha1.Subscription) bool {
			return hasCondition(s, v1alpha1.ConditionSynced, metav1.ConditionFalse, subscription.ReasonDriftCorrected.Name) && s.Status.Quantity == 5
		}, "the drift was not reported and corrected")
		Expect(status.Get(done, v1alpha1.ConditionSynced).Message).To(ContainSubstring("quantity 5 → 7"))
		Expect(remote(subID).Quantity).To(Equal(5))
		Expect(testenv.EventNotes(k8s, done)[subscription.EventDrift]).To(ContainSubstring("outside the operator"))
	})

	It("honours the paused annotation: nothing is ordered until it is removed", func() {
		_, id := buyableCustomer(ns, "paused")
		before := purchaseCalls()
		s := subscriptionObject(ns, "paused", "paused", 1)
		s.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
		Expect(k8s.Create(ctx, s)).To(Succeed())
		eventually(s, func(s *v1alpha1.Subscription) bool {
			return hasCondition(s, v1alpha1.ConditionPaused, metav1.ConditionTrue, "")
		}, "never reported Paused")
		Consistently(func() int { return purchaseCalls() }).WithTimeout(500 * time.Millisecond).Should(Equal(before))

		update(s, func(s *v1alpha1.Subscription) { delete(s.Annotations, v1alpha1.AnnotationPaused) })
		done := ordered(s)
		Expect(status.Get(done, v1alpha1.ConditionPaused)).To(BeNil())
		Expect(ordersOf(id)).To(HaveLen(1))
	})

	It("is a quiet reconciler: a settled subscription woken again writes nothing and calls Partner Center for nothing", func() {
		c, _ := buyableCustomer(ns, "settled")
		s := subscriptionObject(ns, "settled", "settled", 1)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		ordered(s)
		rv := quiet(s)
		reconciles, calls := testenv.QuietReconcileCount(subscription.ControllerName), sim.TotalCalls()

		labelled := testenv.Fetch(k8s, c)
		labelled.Labels = map[string]string{"touched": rand.String(4)}
		Expect(k8s.Update(ctx, labelled)).To(Succeed())
		Consistently(func() float64 { return testenv.ReconcileCount(subscription.ControllerName) }).WithTimeout(500*time.Millisecond).
			Should(Equal(reconciles), "a Customer change the order gate does not read woke the subscription")

		woken := testenv.Fetch(k8s, c)
		apimeta.SetStatusCondition(&woken.Status.Conditions, metav1.Condition{Type: "TestWake", Status: metav1.ConditionTrue, Reason: "Test", Message: rand.String(4)})
		Expect(k8s.Status().Update(ctx, woken)).To(Succeed()) // a status write the gate reads wakes the subscription
		Eventually(func() float64 { return testenv.ReconcileCount(subscription.ControllerName) }).Should(BeNumerically(">", reconciles), "the subscription was not reconciled")
		Consistently(func() string { return get(s).ResourceVersion }).WithTimeout(500 * time.Millisecond).Should(Equal(rv))
		Expect(sim.TotalCalls()).To(Equal(calls), "a settled subscription called Partner Center")
	})

	It("R3: a settled subscription is not woken by a label on its ResellerPartnership, only by a change of its status", func() {
		buyableCustomer(ns, "resold")
		activePartnership(ns, "trey")
		s := subscriptionObject(ns, "resold", "resold", 1)
		s.Spec.ResellerRef = &v1alpha1.LocalObjectReference{Name: "trey"}
		Expect(k8s.Create(ctx, s)).To(Succeed())
		ordered(s)
		reconciles := testenv.QuietReconcileCount(subscription.ControllerName)

		rp := &v1alpha1.ResellerPartnership{}
		Expect(k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "trey"}, rp)).To(Succeed())
		rp.Labels = map[string]string{"app.kubernetes.io/instance": "csp-resellers"} // as a GitOps tool sets it
		Expect(k8s.Update(ctx, rp)).To(Succeed())
		Consistently(func() float64 { return testenv.ReconcileCount(subscription.ControllerName) }).WithTimeout(500*time.Millisecond).
			Should(Equal(reconciles), "a partnership label woke the subscription")

		rp.Status.ResellerName = "Trey Research Europe"
		Expect(k8s.Status().Update(ctx, rp)).To(Succeed())
		Eventually(func() float64 { return testenv.ReconcileCount(subscription.ControllerName) }).
			Should(BeNumerically(">", reconciles), "a partnership status change did not wake the subscription")
	})
})
