package changefeed_test

import (
	"context"

	"github.com/google/uuid"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// Ordered: the last spec moves the simulated clock, which makes every
// settled object of the suite due for its resync.
var _ = Describe("A large book inside Partner Center's budget", Ordered, func() {
	It("wakes exactly the Customer an audit record names, and corrects the portal edit without a resync", func() {
		ns := testenv.NewNamespace(k8s, "feed-")
		edited, other := readyCustomer(ns, "edited"), readyCustomer(ns, "other")
		testenv.QuietReconcileCount("customer")
		mark := customers.Mark()

		profile := billingProfile(edited.Status.CustomerID)
		profile.CompanyName = "Renamed in the portal"
		Expect(sim.PortalEditBillingProfile(edited.Status.CustomerID, profile)).To(Succeed())

		Eventually(func() string {
			return billingProfile(edited.Status.CustomerID).CompanyName
		}).Should(Equal(edited.Spec.CompanyName), "the portal edit was never set back to the spec")
		testenv.QuietReconcileCount("customer")
		read := customers.Recorded(mark)
		Expect(read).To(ContainElement(edited.Status.CustomerID))
		Expect(read).NotTo(ContainElement(other.Status.CustomerID), "a Customer no record names was read")
	})

	It("finds a portal-side quantity change through the feed and corrects it without a per-object resync", func() {
		ns := testenv.NewNamespace(k8s, "qty-")
		buyableCustomer(ns, "buyer")
		changed, untouched := readySubscription(ns, "changed", "buyer", 5), readySubscription(ns, "untouched", "buyer", 3)
		testenv.QuietReconcileCount("subscription")
		readsBefore := sim.Calls(wire.OpGetSubscription)

		Expect(sim.PortalChangeQuantity(changed.Status.SubscriptionID, 9)).To(Succeed())

		Eventually(func() int { return remoteQuantity(changed.Status.SubscriptionID) }).Should(Equal(5),
			"the portal's quantity was never set back to the spec")
		testenv.Eventually(k8s, changed, func(s *v1alpha1.Subscription) bool {
			return testenv.HasCondition(s, v1alpha1.ConditionSynced, metav1.ConditionFalse, subscription.ReasonDriftCorrected.Name)
		}, "the correction was never reported")
		testenv.QuietReconcileCount("subscription")
		// The simulated clock stood still: no resync was due, and only the
		// subscription the record names was read again.
		Expect(sim.Calls(wire.OpGetSubscription) - readsBefore).To(Equal(1))
		Expect(remoteQuantity(untouched.Status.SubscriptionID)).To(Equal(3))
	})

	It("adopts an existing tenant with one look-up per poll, however large the book", func() {
		ns := testenv.NewNamespace(k8s, "adopt-")
		for range 20 { // the rest of the book: partner customers the poll must not list
			Expect(sim.AddExistingTenant(uuid.NewString(), "Someone Else")).To(Succeed())
		}
		tenant := uuid.NewString()
		Expect(sim.AddExistingTenant(tenant, "Fabrikam")).To(Succeed())
		lists, finds := sim.Calls(wire.OpListCustomers), sim.Calls(wire.OpGetCustomer)
		c := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "adopted"}, Spec: v1alpha1.CustomerSpec{ExistingCustomerTenantID: tenant}}
		Expect(k8s.Create(context.Background(), c)).To(Succeed())
		Eventually(func() int { return sim.Calls(wire.OpGetCustomer) - finds }).Should(BeNumerically(">=", 3),
			"the Customer never polled for its tenant")
		Expect(sim.AcceptRelationshipRequest(tenant)).To(Succeed())
		testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool { return c.Status.Adopted }, "the tenant was never adopted")

		polls := testenv.QuietReconcileCount("customer") // at least one reconcile per poll
		Expect(sim.Calls(wire.OpListCustomers)-lists).To(BeZero(), "a poll listed the partner's customers")
		Expect(float64(sim.Calls(wire.OpGetCustomer) - finds)).To(BeNumerically("<=", polls))
	})

	It("reconciles a new Customer before the resyncs queued ahead of it", func() {
		ns := testenv.NewNamespace(k8s, "prio-")
		var settled []string
		for _, name := range []string{"s1", "s2", "s3", "s4"} {
			settled = append(settled, readyCustomer(ns, name).Status.CustomerID)
		}
		testenv.QuietReconcileCount("customer")
		release := customers.Hold()
		defer release()
		mark := customers.Mark()
		// Every settled Customer of the suite becomes due: the first resync
		// takes the one worker and waits in Partner Center; the others queue.
		Expect(sim.Advance(2 * resync)).To(Succeed())
		Eventually(func() float64 { return queueDepth("customer") }).WithTimeout(queueTimeout).Should(BeNumerically(">=", 3),
			"the resyncs never queued up behind the held one")

		Expect(k8s.Create(context.Background(), testenv.CustomerObject(ns, "new"))).To(Succeed())
		Eventually(func() float64 { return queueDepth("customer") }).WithTimeout(queueTimeout).Should(BeNumerically(">=", 4), "the new Customer never queued")
		release()

		Eventually(func() []string { return customers.Recorded(mark) }).Should(ContainElement(HavePrefix("create:")))
		calls := customers.Recorded(mark)
		next := 1
		for next < len(calls) && calls[next] == calls[0] { // the held resync's own reads
			next++
		}
		Expect(calls[next:]).NotTo(BeEmpty())
		Expect(calls[next]).To(HavePrefix("create:"), "work done before the new Customer: %v", calls)
	})
})

// queueTimeout bounds the wait for settled Customers to come back to the
// queue: their requeue is a resync period (jittered) away in real time.
const queueTimeout = 10 * resync

// queueDepth is the number of requests ready in the named controller's work queue.
func queueDepth(controllerName string) float64 {
	return testenv.MetricSum("workqueue_depth", "name", controllerName)
}

// Last in this Ordered suite: it sweeps every settled object of the suite.
var _ = Describe("The safety-net resync of a settled book", Ordered, func() {
	It("reads each onboarding's billing profile and subscription, and nothing that is final (an approved verification, a confirmed agreement)", func() {
		ns := testenv.NewNamespace(k8s, "sweep-")
		buyableCustomer(ns, "swept")
		readySubscription(ns, "swept", "swept", 1)
		book := settledBook()
		before := sim.CallCounts()

		// Every settled object of the suite becomes due: one full sweep.
		Expect(sim.Advance(2 * resync)).To(Succeed())
		Eventually(func() int { return sim.Calls(wire.OpGetBillingProfile) - before[wire.OpGetBillingProfile] }).
			WithTimeout(queueTimeout).Should(Equal(book.created), "the sweep never read every created customer's billing profile")
		Eventually(func() int { return sim.Calls(wire.OpGetSubscription) - before[wire.OpGetSubscription] }).
			WithTimeout(queueTimeout).Should(Equal(book.subscriptions), "the sweep never read every subscription")
		for _, kind := range []string{"customer", "mcaattestation", "subscription"} {
			testenv.QuietReconcileCount(kind)
		}

		swept := map[string]int{}
		for op, n := range sim.CallCounts() {
			if d := n - before[op]; d > 0 && op != wire.OpListAuditRecords {
				swept[op] = d
			}
		}
		// An adopted customer's profile is its own: its verification is the one read.
		want := map[string]int{wire.OpGetBillingProfile: book.created, wire.OpGetSubscription: book.subscriptions}
		if book.adopted > 0 {
			want[wire.OpGetAccountValidationStatus] = book.adopted
		}
		// A customer no MCAAttestation reports confirmed reads its agreement
		// from Partner Center itself (M6): the suite's Customers without one.
		if book.unattested > 0 {
			want[wire.OpListAgreements], want[wire.OpGetDirectSignedStatus] = book.unattested, book.unattested
		}
		Expect(book.created-book.unattested).To(BeNumerically(">=", 1), "no onboarding with a confirmed attestation was swept")
		Expect(swept).To(Equal(want))
	})
})

// book counts the settled objects of the whole suite.
type book struct{ created, adopted, unattested, subscriptions int }

// settledBook waits until every Customer and Subscription of the suite is
// Ready and every MCAAttestation accepted, and counts them.
func settledBook() book {
	var b book
	Eventually(func(g Gomega) {
		b = book{}
		var cs v1alpha1.CustomerList
		g.Expect(k8s.List(context.Background(), &cs)).To(Succeed())
		for i := range cs.Items {
			g.Expect(testenv.HasCondition(&cs.Items[i], v1alpha1.ConditionReady, metav1.ConditionTrue, "")).To(BeTrue(), "customer %s", cs.Items[i].Name)
			if cs.Items[i].Status.Adopted {
				b.adopted++
			} else {
				b.created++
			}
		}
		var ss v1alpha1.SubscriptionList
		g.Expect(k8s.List(context.Background(), &ss)).To(Succeed())
		for i := range ss.Items {
			g.Expect(testenv.HasCondition(&ss.Items[i], v1alpha1.ConditionReady, metav1.ConditionTrue, "")).To(BeTrue(), "subscription %s", ss.Items[i].Name)
		}
		b.subscriptions = len(ss.Items)
		var as v1alpha1.MCAAttestationList
		g.Expect(k8s.List(context.Background(), &as)).To(Succeed())
		for i := range as.Items {
			g.Expect(testenv.HasCondition(&as.Items[i], v1alpha1.ConditionAccepted, metav1.ConditionTrue, "")).To(BeTrue(), "attestation %s", as.Items[i].Name)
		}
		b.unattested = len(cs.Items) - len(as.Items) // one attestation per attested customer here
	}).Should(Succeed())
	for _, kind := range []string{"customer", "mcaattestation", "subscription"} {
		testenv.QuietReconcileCount(kind)
	}
	return b
}
