package phase_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// sends counts the create and order calls per object.
type sends struct {
	mu     sync.Mutex
	create map[string]int // per customer domain
	order  map[string]int // per Subscription name (the order's friendly name)
	// cart and checkout count the new-commerce purchase per Subscription name
	// (the cart line's friendly name); cartOwner names each cart's Subscription.
	cart, checkout map[string]int
	cartOwner      map[string]string
}

func (s *sends) count(m map[string]int, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m[key]++
}

// countedCustomers is Partner Center for the Customer reconciler, counting creates.
type countedCustomers struct {
	customer.External
	sends *sends
}

func (c countedCustomers) CreateCustomer(ctx context.Context, requestID string, req wire.CustomerCreateRequest) (*wire.Customer, error) {
	c.sends.count(c.sends.create, req.CompanyProfile.Domain)
	return c.External.CreateCustomer(ctx, requestID, req)
}

// countedOrders is Partner Center for the Subscription reconciler, counting orders.
type countedOrders struct {
	subscription.External
	sends *sends
}

func (c countedOrders) CreateOrder(ctx context.Context, requestID, customerID string, order wire.Order) (*wire.Order, error) {
	c.sends.count(c.sends.order, order.LineItems[0].FriendlyName)
	return c.External.CreateOrder(ctx, requestID, customerID, order)
}

func (c countedOrders) CreateCart(ctx context.Context, requestID, customerID string, cart wire.Cart) (*wire.Cart, error) {
	name := cart.LineItems[0].FriendlyName
	c.sends.count(c.sends.cart, name)
	created, err := c.External.CreateCart(ctx, requestID, customerID, cart)
	if err == nil {
		c.sends.mu.Lock()
		c.sends.cartOwner[created.ID] = name
		c.sends.mu.Unlock()
	}
	return created, err
}

func (c countedOrders) CheckoutCart(ctx context.Context, requestID, customerID, cartID string) (*wire.CartCheckoutResult, error) {
	c.sends.mu.Lock()
	name := c.sends.cartOwner[cartID]
	c.sends.mu.Unlock()
	c.sends.count(c.sends.checkout, name)
	return c.External.CheckoutCart(ctx, requestID, customerID, cartID)
}

// TestNoSecondCreateOrOrderWhileTheCacheLags onboards customers with an
// attestation and a subscription each, the Customer and the Subscription
// through reconcilers whose cache falls one write behind
// (a status write not in the cache yet when the object is reconciled
// again). Partner Center's MS-RequestId replay would hide a second create or
// order, so the calls are counted: exactly one per object (a legacy offer's
// order; a new-commerce offer's cart and its checkout).
func TestNoSecondCreateOrOrderWhileTheCacheLags(t *testing.T) {
	gomega.RegisterTestingT(t) // for the testenv helpers
	ctrl.SetLogger(logr.Discard())
	// Polls wait milliseconds, not minutes: time in Partner Center moves on the simulated clock.
	status.FastDelay, status.SlowMinDelay, status.SlowMaxDelay = 50*time.Millisecond, 100*time.Millisecond, 300*time.Millisecond
	sent := &sends{create: map[string]int{}, order: map[string]int{}, cart: map[string]int{}, checkout: map[string]int{}, cartOwner: map[string]string{}}
	env := testenv.StartForTest(t, testenv.Options{
		Role: config.RoleIndirectProvider, PartnerDomain: "partner.example",
		// A pending order keeps the Subscription from settling, so its next
		// pass (woken by its own intent annotation) is a full one.
		Sim: pcsim.Config{OrderCompletionDelay: time.Hour},
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			// Each reconciler's cache lags its own writes.
			customerClient, err := laggingClient(mgr)
			if err != nil {
				return err
			}
			subscriptionClient, err := laggingClient(mgr)
			if err != nil {
				return err
			}
			report := func(name string) phase.Reporter {
				return phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(name)}
			}
			customers := &customer.Reconciler{Client: customerClient, Reader: mgr.GetAPIReader(),
				External: countedCustomers{deps.PartnerCenter, sent}, Reporter: report(customer.ControllerName)}
			subscriptions := &subscription.Reconciler{Client: subscriptionClient, Reader: mgr.GetAPIReader(),
				External: countedOrders{deps.PartnerCenter, sent}, Reporter: report(subscription.ControllerName)}
			if err := customers.SetupWithManager(mgr); err != nil {
				return err
			}
			// The attestations confirm the agreement the order gate waits for (M10).
			if err := mcaattestation.SetupWithManager(mgr, deps); err != nil {
				return err
			}
			return subscriptions.SetupWithManager(mgr)
		},
	})
	ctx := context.Background()
	ns := testenv.NewNamespace(env.Client, "lag-")
	suffix := rand.String(6) // domains are global in the simulator
	const onboardings = 3
	// lag0 buys a legacy offer (POST /orders), the others new-commerce ones (cart and checkout).
	offerOf := func(i int) string {
		if i == 0 {
			return "031C9E47-4802-4248-838E-778FB1D2CC05"
		}
		return "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P"
	}
	for i := range onboardings {
		name := fmt.Sprintf("lag%d", i)
		c := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.CustomerSpec{
				CompanyName: "Contoso Ltd", Domain: name + suffix, Email: "billing@contoso.example",
				Address:        &v1alpha1.Address{AddressLine1: "1 Microsoft Way", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
				PrimaryContact: &v1alpha1.Contact{FirstName: "Maria", LastName: "Silva", Email: "maria@contoso.example"},
			},
		}
		s := &v1alpha1.Subscription{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.SubscriptionSpec{
				CustomerRef: v1alpha1.LocalObjectReference{Name: name}, OfferID: offerOf(i), Quantity: 1, FriendlyName: name,
			},
		}
		a := &v1alpha1.MCAAttestation{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.MCAAttestationSpec{
				CustomerRef: v1alpha1.LocalObjectReference{Name: name}, Method: v1alpha1.MethodPartnerAttestation,
				AcceptedBy: &v1alpha1.AcceptingPerson{FirstName: "Tania", LastName: "Carr", Email: "tania@contoso.example"},
				DateAgreed: env.Clock.Now().UTC().Format(time.DateOnly),
			},
		}
		for _, obj := range []client.Object{c, a, s} {
			if err := env.Client.Create(ctx, obj); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitFor := func(what string, done func(*v1alpha1.Subscription) bool) {
		deadline := time.Now().Add(2 * time.Minute)
		for i := range onboardings {
			s := &v1alpha1.Subscription{}
			key := client.ObjectKey{Namespace: ns, Name: fmt.Sprintf("lag%d", i)}
			for env.Client.Get(ctx, key, s) != nil || !done(s) {
				if time.Now().After(deadline) {
					c := &v1alpha1.Customer{}
					_ = env.Client.Get(ctx, key, c)
					t.Fatalf("Subscription %s is not %s: %s; its Customer: %s", key.Name, what, testenv.Conditions(s), testenv.Conditions(c))
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
	waitFor("ordered", func(s *v1alpha1.Subscription) bool { return s.Status.OrderID != "" })
	time.Sleep(time.Second) // the passes woken by the order's own writes
	env.Clock.Advance(time.Hour)
	waitFor("Ready", func(s *v1alpha1.Subscription) bool { return status.IsTrue(s, v1alpha1.ConditionReady) })
	sent.mu.Lock()
	defer sent.mu.Unlock()
	for i := range onboardings {
		name := fmt.Sprintf("lag%d", i)
		if n := sent.create[name+suffix+".onmicrosoft.com"]; n != 1 {
			t.Errorf("CreateCustomer sent %d times for Customer %s, want 1", n, name)
		}
		orders, carts := 1, 0
		if i > 0 {
			orders, carts = 0, 1
		}
		if n := sent.order[name]; n != orders {
			t.Errorf("CreateOrder sent %d times for Subscription %s, want %d", n, name, orders)
		}
		if n := sent.cart[name]; n != carts {
			t.Errorf("CreateCart sent %d times for Subscription %s, want %d", n, name, carts)
		}
		if n := sent.checkout[name]; n != carts {
			t.Errorf("CheckoutCart sent %d times for Subscription %s, want %d", n, name, carts)
		}
	}
}

// laggingClient is the manager's client with a cache one write behind.
func laggingClient(mgr ctrl.Manager) (client.Client, error) {
	base, err := client.NewWithWatch(mgr.GetConfig(), client.Options{
		Scheme: mgr.GetScheme(), Cache: &client.CacheOptions{Reader: mgr.GetCache()},
	})
	if err != nil {
		return nil, err
	}
	return testenv.LaggingCache(base, mgr.GetAPIReader()), nil
}
