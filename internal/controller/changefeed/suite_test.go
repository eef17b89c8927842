package changefeed_test

import (
	"context"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/changefeed"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

func TestChangeFeed(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Change feed, priorities and the adopt path at scale")
}

// offer is a new-commerce offer (productId:skuId:availabilityId).
const offer = "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P"

// resync is the settled-object resync period of this suite: short in real
// time, so settled objects come back to the queue while a spec runs; on the
// simulated clock, which only a spec moves, they stay settled until it does.
const resync = 2 * time.Second

var (
	env       *testenv.Env
	k8s       client.Client
	sim       *pcsim.Simulator
	customers *testenv.CustomerCalls
)

var _ = BeforeSuite(func() {
	ctrl.SetLogger(GinkgoLogr)
	// Waits are for a change on a busy shared machine, never a measure of speed.
	SetDefaultEventuallyTimeout(15 * time.Second)
	testenv.FastPolls()
	var err error
	env, err = testenv.Start(testenv.Options{
		Role: config.RoleDirectBill,
		// The customer signs the MCA at once and orders complete at once, so
		// nothing here waits on the simulated clock.
		Sim: pcsim.Config{},
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			deps.Config.ResyncPeriod = resync
			feed, err := changefeed.Setup(context.Background(), mgr, changefeed.Options{
				Records: deps.PartnerCenter, Interval: 100 * time.Millisecond, OwnApplicationID: pcsim.ApplicationID, Now: deps.Config.Now,
			})
			if err != nil {
				return err
			}
			deps.ChangeFeed = feed
			customers = testenv.NewCustomerCalls(deps.PartnerCenter)
			r := &customer.Reconciler{
				Client: mgr.GetClient(), Reader: mgr.GetAPIReader(), External: customers, ChangeFeed: feed,
				Reporter: phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(customer.ControllerName)},
			}
			if err := r.SetupWithManager(mgr); err != nil {
				return err
			}
			if err := mcaattestation.SetupWithManager(mgr, deps); err != nil {
				return err
			}
			return subscription.SetupWithManager(mgr, deps)
		},
	})
	Expect(err).NotTo(HaveOccurred())
	k8s, sim = env.Client, env.Sim
})

var _ = AfterSuite(func() {
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// readyCustomer creates a Customer and waits until it is Ready.
func readyCustomer(ns, name string) *v1alpha1.Customer {
	c := testenv.CustomerObject(ns, name)
	Expect(k8s.Create(context.Background(), c)).To(Succeed())
	return testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
		return testenv.HasCondition(c, v1alpha1.ConditionReady, metav1.ConditionTrue, "")
	}, "the customer never became Ready")
}

// buyableCustomer is a Ready Customer whose direct MCA acceptance an
// MCAAttestation confirmed (the simulator's customers sign at once).
func buyableCustomer(ns, name string) *v1alpha1.Customer {
	c := readyCustomer(ns, name)
	a := &v1alpha1.MCAAttestation{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.MCAAttestationSpec{CustomerRef: v1alpha1.LocalObjectReference{Name: name}, Method: v1alpha1.MethodDirectAcceptance},
	}
	Expect(k8s.Create(context.Background(), a)).To(Succeed())
	testenv.Eventually(k8s, a, func(a *v1alpha1.MCAAttestation) bool {
		return testenv.HasCondition(a, v1alpha1.ConditionAccepted, metav1.ConditionTrue, "")
	}, "the direct acceptance was never confirmed")
	return c
}

// readySubscription creates a Subscription of the Customer and waits until it is Ready.
func readySubscription(ns, name, customerName string, quantity int32) *v1alpha1.Subscription {
	s := &v1alpha1.Subscription{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.SubscriptionSpec{CustomerRef: v1alpha1.LocalObjectReference{Name: customerName}, OfferID: offer, Quantity: quantity, FriendlyName: name},
	}
	Expect(k8s.Create(context.Background(), s)).To(Succeed())
	return testenv.Eventually(k8s, s, func(s *v1alpha1.Subscription) bool {
		return testenv.HasCondition(s, v1alpha1.ConditionReady, metav1.ConditionTrue, subscription.ReasonReady.Name)
	}, "the subscription never became Ready")
}

// remoteQuantity is the simulator's quantity of a subscription.
func remoteQuantity(subscriptionID string) int {
	for _, sub := range sim.Subscriptions() {
		if sub.ID == subscriptionID {
			return sub.Quantity
		}
	}
	Fail("the simulator has no subscription " + subscriptionID)
	return 0
}

// billingProfile is the simulator's billing profile of a customer.
func billingProfile(customerID string) wire.BillingProfile {
	rec, ok := sim.Customer(customerID)
	Expect(ok).To(BeTrue(), "the simulator has no customer %s", customerID)
	return *rec.Customer.BillingProfile
}
