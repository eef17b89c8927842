package subscription_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
)

var _ = Describe("Subscription ownership", func() {
	var ns string
	ctx := context.Background()
	inNewNamespace(&ns)

	It("S2: two Subscriptions of one offer for one customer each own exactly one subscription, even when the second meets 800060 before the first recorded its order", func() {
		_, id := buyableCustomer(ns, "twins")
		// twin-a's order is placed, but recording it fails until twin-b's
		// order met 800060: the timing in which twin-b used to take twin-a's subscription.
		injected.arm(holdRecordUntilInProgress, "twin-a")
		a := subscriptionObject(ns, "twin-a", "twins", 3)
		a.Spec.OfferID = legacyOffer // 800060 is the POST /orders answer
		Expect(k8s.Create(ctx, a)).To(Succeed())
		Eventually(func() []string { return injected.requestIDs("twin-a") }).ShouldNot(BeEmpty(), "twin-a never sent its order")
		b := subscriptionObject(ns, "twin-b", "twins", 4)
		b.Spec.OfferID = legacyOffer
		Expect(k8s.Create(ctx, b)).To(Succeed())
		Eventually(func() bool { return injected.holding(holdRecordUntilInProgress, "twin-a") }).
			Should(BeFalse(), "twin-b never met 800060 while twin-a's order was pending")

		var gotA, gotB *v1alpha1.Subscription
		Eventually(func(g Gomega) {
			Expect(sim.Advance(orderCompletion)).To(Succeed())
			gotA, gotB = get(a), get(b)
			g.Expect(hasCondition(gotA, v1alpha1.ConditionReady, "True", subscription.ReasonReady.Name)).To(BeTrue(), "twin-a is not Ready")
			g.Expect(hasCondition(gotB, v1alpha1.ConditionReady, "True", subscription.ReasonReady.Name)).To(BeTrue(), "twin-b is not Ready")
		}).WithPolling(300 * time.Millisecond).WithTimeout(30 * time.Second).Should(Succeed())

		Expect(gotA.Status.SubscriptionID).NotTo(Equal(gotB.Status.SubscriptionID), "both objects recorded the same Partner Center subscription")
		Expect(ordersOf(id)).To(HaveLen(2), "one order per Subscription object")
		Expect(remote(gotA.Status.SubscriptionID).Quantity).To(Equal(3))
		Expect(remote(gotB.Status.SubscriptionID).Quantity).To(Equal(4))
	})
})
