package subscription_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// cartsOf lists the simulator's carts whose line is for the Subscription name.
func cartsOf(name string) []wire.Cart {
	var out []wire.Cart
	for _, c := range sim.Carts() {
		if c.LineItems[0].FriendlyName == name {
			out = append(out, c)
		}
	}
	return out
}

var _ = Describe("Subscription purchase by cart", func() {
	var ns string
	ctx := context.Background()
	inNewNamespace(&ns)

	It("S1: a new-commerce offer is bought through one cart and its checkout, never POST /orders, with the reseller as transaction_reseller and the partner-of-record attestation (R3)", func() {
		_, id := buyableCustomer(ns, "carted")
		mpn := activePartnership(ns, "trey")
		orderCalls := sim.Calls(wire.OpCreateOrder)
		s := subscriptionObject(ns, "carted", "carted", 5)
		s.Spec.ResellerRef = &v1alpha1.LocalObjectReference{Name: "trey"}
		done := orderedNow(s)

		Expect(sim.Calls(wire.OpCreateOrder)).To(Equal(orderCalls), "a new-commerce offer went through POST /orders")
		carts := cartsOf("carted")
		Expect(carts).To(HaveLen(1))
		Expect(carts[0].Status).To(Equal(wire.CartStatusOrdered))
		Expect(carts[0].PartnerOnRecordAttestationAccepted).To(BeTrue())
		Expect(carts[0].LineItems[0].Participants).To(ConsistOf(wire.Participant{Key: wire.ParticipantTransactionReseller, Value: mpn}))
		Expect(done.Annotations[subscription.AnnotationCartID]).To(Equal(carts[0].ID), "the cart's ID is persisted on the object")
		orders := ordersOf(id)
		Expect(orders).To(HaveLen(1))
		Expect(done.Status.SubscriptionID).To(Equal(orders[0].LineItems[0].SubscriptionID))
		Expect(remote(done.Status.SubscriptionID).PartnerID).To(Equal(mpn))
	})

	It("S2: a crash between the cart's creation and its checkout, and a lost checkout answer, still end with one cart and one purchase", func() {
		_, id := buyableCustomer(ns, "crashcart")
		injected.arm(crashBeforeCheckout, "crashcart")
		injected.arm(loseCheckoutAnswer, "crashcart")
		s := subscriptionObject(ns, "crashcart", "crashcart", 2)
		done := orderedNow(s)

		Expect(cartsOf("crashcart")).To(HaveLen(1), "a restart created a second cart")
		Expect(ordersOf(id)).To(HaveLen(1), "a restart bought twice")
		Expect(sim.Calls(wire.OpCheckoutCart)).To(BeNumerically(">=", 2), "the lost checkout answer was not asked again")
		Expect(done.Status.SubscriptionID).To(Equal(ordersOf(id)[0].LineItems[0].SubscriptionID))
	})

	It("S2: the older answer to a second checkout (400 800065) is looked up, not bought again", func() {
		_, id := buyableCustomer(ns, "oldcheckout")
		sim.SetCheckoutConflict(true)
		DeferCleanup(sim.SetCheckoutConflict, false)
		injected.arm(loseCheckoutAnswer, "oldcheckout")
		s := subscriptionObject(ns, "oldcheckout", "oldcheckout", 2)
		done := orderedNow(s)

		orders := ordersOf(id)
		Expect(orders).To(HaveLen(1))
		Expect(done.Status.SubscriptionID).To(Equal(orders[0].LineItems[0].SubscriptionID))
	})

	It("S2: a cart that expired (7 days) before its checkout is replaced by a new one; one purchase", func() {
		_, id := buyableCustomer(ns, "expiring")
		injected.arm(holdCheckout, "expiring")
		s := subscriptionObject(ns, "expiring", "expiring", 1)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		Eventually(func() []wire.Cart { return cartsOf("expiring") }).WithTimeout(testenv.EventuallyTimeout).Should(HaveLen(1), "no cart was created")
		Expect(sim.Advance(8 * 24 * time.Hour)).To(Succeed())
		injected.take(holdCheckout, "expiring")

		done := ordered(s)
		carts := cartsOf("expiring")
		Expect(carts).To(HaveLen(2), "the expired cart was not replaced")
		Expect(done.Annotations[subscription.AnnotationCartID]).NotTo(Equal(carts[0].ID))
		Expect(ordersOf(id)).To(HaveLen(1))
		Eventually(func() string { return testenv.EventNotes(k8s, done)[subscription.EventOrdering] }).WithTimeout(testenv.EventuallyTimeout).
			Should(ContainSubstring("expired"), "no event says the cart expired")
	})

	It("S2: a cart line Partner Center marks bad is reported with its documented code and nothing is bought until the spec changes", func() {
		_, id := buyableCustomer(ns, "soldout")
		const soldOut = "CFQ7TTC0SOLD:0001:CFQ7TTC0OUT1"
		sim.MakeUnavailable(soldOut)
		s := subscriptionObject(ns, "soldout", "soldout", 1)
		s.Spec.OfferID = soldOut
		Expect(k8s.Create(ctx, s)).To(Succeed())

		refused := eventually(s, func(s *v1alpha1.Subscription) bool {
			return hasCondition(s, v1alpha1.ConditionOrdered, metav1.ConditionFalse, subscription.ReasonOrderRefused.Name)
		}, "the refused cart line was not reported")
		Expect(status.Get(refused, v1alpha1.ConditionReady).Message).To(ContainSubstring(wire.CartErrorInventoryNotAvailable))
		calls := sim.Calls(wire.OpCreateCart)
		Consistently(func() int { return sim.Calls(wire.OpCreateCart) }).WithTimeout(500*time.Millisecond).Should(Equal(calls), "a refused cart was tried again without a spec change")
		Expect(ordersOf(id)).To(BeEmpty())
	})
})
