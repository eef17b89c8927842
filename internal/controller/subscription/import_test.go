package subscription_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// otherOffer is a second new-commerce offer.
const otherOffer = "CFQ7TTC0LDPB:0001:CFQ7TTC0K5BF"

// seededCustomer seeds a verified customer (MCA signed directly) with one
// active subscription of quantity licences of the offer into the simulator,
// creates the Customer object that adopts it, and returns its customer ID
// and the subscription ID.
func seededCustomer(ns, name string, quantity int) (string, string) {
	seeded, err := sim.Seed(pcsim.Book{Customers: []pcsim.BookCustomer{{
		CompanyName: "Northwind Traders", MCASignedDirectly: true,
		Subscriptions: []pcsim.BookSubscription{{OfferID: offer, Quantity: quantity}},
	}}})
	Expect(err).NotTo(HaveOccurred())
	customerID := seeded.CustomerIDs[0]
	c := &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: customerID, ManagementPolicy: v1alpha1.ManagementPolicyObserve},
	}
	Expect(k8s.Create(context.Background(), c)).To(Succeed())
	testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
		return testenv.HasCondition(c, v1alpha1.ConditionReady, metav1.ConditionTrue, "")
	}, "the seeded customer was never adopted")
	return customerID, seeded.SubscriptionIDs[0][0]
}

// adopting is a Subscription naming an existing subscription.
func adopting(ns, name, customer, subscriptionID, offerID string, quantity int32, policy v1alpha1.ManagementPolicy) *v1alpha1.Subscription {
	s := subscriptionObject(ns, name, customer, quantity)
	s.Spec.OfferID, s.Spec.SubscriptionID, s.Spec.ManagementPolicy = offerID, subscriptionID, policy
	return s
}

var _ = Describe("Importing subscriptions", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() { ns = newNamespace() })

	It("I1: adopts the existing subscription spec.subscriptionID names, never orders it, and then manages it like any other (S3)", func() {
		customerID, subID := seededCustomer(ns, "northwind", 5)
		s := adopting(ns, "northwind-m365", "northwind", subID, offer, 5, v1alpha1.ManagementPolicyManage)
		Expect(k8s.Create(ctx, s)).To(Succeed())
		got := ready(s)
		Expect(got.Status.SubscriptionID).To(Equal(subID))
		Expect(got.Status.Quantity).To(BeEquivalentTo(5))
		Expect(testenv.HasCondition(got, v1alpha1.ConditionOrdered, metav1.ConditionTrue, subscription.ReasonAdopted.Name)).To(BeTrue(), testenv.Conditions(got))
		Expect(ordersOf(customerID)).To(BeEmpty(), "an adopted subscription was ordered")

		update(s, func(s *v1alpha1.Subscription) { s.Spec.Quantity = 7 })
		eventually(s, func(s *v1alpha1.Subscription) bool { return s.Status.Quantity == 7 }, "the quantity change never reached the adopted subscription")
		Expect(remote(subID).Quantity).To(Equal(7))
		Expect(ordersOf(customerID)).To(BeEmpty(), "a quantity change of an adopted subscription placed an order")
	})

	It("I1: refuses to adopt a subscription of another offer or another customer, with the reason, and writes nothing", func() {
		_, subID := seededCustomer(ns, "fabrikam", 3)
		otherCustomerID, _ := seededCustomer(ns, "litware", 2)
		writes := sim.WriteCalls()

		wrongOffer := adopting(ns, "wrong-offer", "fabrikam", subID, otherOffer, 3, v1alpha1.ManagementPolicyManage)
		wrongCustomer := adopting(ns, "wrong-customer", "litware", subID, offer, 3, v1alpha1.ManagementPolicyManage)
		for _, s := range []*v1alpha1.Subscription{wrongOffer, wrongCustomer} {
			Expect(k8s.Create(ctx, s)).To(Succeed())
		}
		for s, why := range map[*v1alpha1.Subscription]string{wrongOffer: "is for offer " + offer, wrongCustomer: "has no subscription " + subID + " for customer " + otherCustomerID} {
			got := eventually(s, func(s *v1alpha1.Subscription) bool {
				return hasCondition(s, v1alpha1.ConditionStalled, metav1.ConditionTrue, subscription.ReasonAdoptionRefused.Name)
			}, "the mismatch was not refused")
			Expect(testenv.HasCondition(got, v1alpha1.ConditionReady, metav1.ConditionFalse, subscription.ReasonAdoptionRefused.Name)).To(BeTrue())
			Expect(got.Status.SubscriptionID).To(BeEmpty())
			Expect(testenv.Conditions(got)).To(ContainSubstring(why))
		}
		Expect(sim.WriteCalls()).To(Equal(writes), "a refused adoption wrote to Partner Center")
	})

	It("I1: an Observe Subscription reports drift and never writes; switched to Manage its next pass applies the spec with one PATCH", func() {
		customerID, subID := seededCustomer(ns, "tailspin", 5)
		writes, patches := sim.WriteCalls(), sim.Calls(wire.OpUpdateSubscription)
		s := adopting(ns, "tailspin-m365", "tailspin", subID, offer, 8, v1alpha1.ManagementPolicyObserve)
		s.Spec.DeletionPolicy = v1alpha1.DeletionPolicyDelete
		Expect(k8s.Create(ctx, s)).To(Succeed())
		got := eventually(s, func(s *v1alpha1.Subscription) bool {
			return hasCondition(s, v1alpha1.ConditionSynced, metav1.ConditionFalse, status.ReasonDriftObserved.Name) &&
				hasCondition(s, v1alpha1.ConditionReady, metav1.ConditionTrue, "")
		}, "the drift was not reported")
		Expect(testenv.Conditions(got)).To(ContainSubstring("quantity 5 → 8"))
		Eventually(func() map[string]string { return testenv.EventNotes(k8s, s) }).Should(HaveKey(phase.EventDriftObserved))
		newOne := subscriptionObject(ns, "tailspin-new", "tailspin", 2)
		newOne.Spec.ManagementPolicy = v1alpha1.ManagementPolicyObserve
		Expect(k8s.Create(ctx, newOne)).To(Succeed())
		eventually(newOne, func(s *v1alpha1.Subscription) bool {
			return hasCondition(s, v1alpha1.ConditionReady, metav1.ConditionFalse, status.ReasonObserveOnly.Name)
		}, "an Observe Subscription without a subscription was not held")
		quiet(s)
		Expect(sim.WriteCalls()).To(Equal(writes), "an Observe Subscription wrote to Partner Center")
		Expect(remote(subID).Quantity).To(Equal(5))

		update(s, func(s *v1alpha1.Subscription) { s.Spec.ManagementPolicy = v1alpha1.ManagementPolicyManage })
		eventually(s, func(s *v1alpha1.Subscription) bool {
			return s.Status.Quantity == 8 && hasCondition(s, v1alpha1.ConditionSynced, metav1.ConditionTrue, "")
		}, "switched to Manage, the spec was not applied")
		quiet(s)
		Expect(sim.Calls(wire.OpUpdateSubscription) - patches).To(Equal(1))
		Expect(ordersOf(customerID)).To(BeEmpty())

		update(s, func(s *v1alpha1.Subscription) { s.Spec.ManagementPolicy = v1alpha1.ManagementPolicyObserve })
		quiet(s)
		Expect(k8s.Delete(ctx, s)).To(Succeed())
		Eventually(func() bool {
			return client.IgnoreNotFound(k8s.Get(ctx, client.ObjectKeyFromObject(s), &v1alpha1.Subscription{})) == nil &&
				k8s.Get(ctx, client.ObjectKeyFromObject(s), &v1alpha1.Subscription{}) != nil
		}).Should(BeTrue(), "the Observe Subscription was not released")
		Expect(remote(subID).Status).To(Equal(wire.SubscriptionStatusActive), "deleting an Observe Subscription cancelled it")
	})
})
