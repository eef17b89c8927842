package subscription_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

func TestSubscription(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Subscription controller")
}

// offer is a new-commerce offer (productId:skuId:availabilityId).
const offer = "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P"

// legacyOffer is a legacy (GUID) offer: bought with POST /orders.
const legacyOffer = "031C9E47-4802-4248-838E-778FB1D2CC05"

// purchaseCalls counts the calls that buy: orders, carts and checkouts.
func purchaseCalls() int {
	return sim.Calls(wire.OpCreateOrder) + sim.Calls(wire.OpCreateCart) + sim.Calls(wire.OpCheckoutCart)
}

// orderCompletion is how long the simulator keeps an order pending.
const orderCompletion = 5 * time.Minute

var (
	env      *testenv.Env
	k8s      client.Client
	sim      *pcsim.Simulator
	injected = &faults{}
)

var _ = BeforeSuite(func() {
	ctrl.SetLogger(GinkgoLogr)
	testenv.FastPolls()
	var err error
	env, err = testenv.Start(testenv.Options{
		Role:          config.RoleIndirectProvider,
		PartnerDomain: "partner.example",
		// Customers stay under review until a test approves them, never sign
		// the MCA directly, and orders stay pending for orderCompletion.
		Sim: pcsim.Config{ManualVerification: true, DirectSignDelay: -1, PartnershipAcceptDelay: -1, OrderCompletionDelay: orderCompletion},
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			if err := customer.SetupWithManager(mgr, deps); err != nil {
				return err
			}
			if err := mcaattestation.SetupWithManager(mgr, deps); err != nil {
				return err
			}
			// The manager's client, rebuilt as a WithWatch so the fault points can wrap it.
			base, err := client.NewWithWatch(mgr.GetConfig(), client.Options{
				Scheme: mgr.GetScheme(), Cache: &client.CacheOptions{Reader: mgr.GetCache()},
			})
			if err != nil {
				return err
			}
			r := &subscription.Reconciler{
				Client:   faultyClient(base, injected),
				Reader:   mgr.GetAPIReader(),
				External: &faultyExternal{External: deps.PartnerCenter, faults: injected},
				Reporter: phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(subscription.ControllerName)},
			}
			if err := r.SetupWithManager(mgr); err != nil {
				return err
			}
			return webhookv1alpha1.SetupSubscriptionWebhookWithManager(mgr, deps.Config)
		},
		WebhookResources: []string{"subscriptions"},
	})
	Expect(err).NotTo(HaveOccurred())
	k8s, sim = env.Client, env.Sim
	testenv.WaitForWebhook(k8s, subscriptionObject("default", "webhook-probe", "nobody", 1))
})

var _ = AfterSuite(func() {
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// errInjected is the failure the fault points return.
var errInjected = errors.New("injected fault: the operator stops here")

// faultPoint is a place where a step is made to fail, as if the process died there.
type faultPoint string

const (
	// loseOrderAnswer: the order call reaches Partner Center, its answer is lost.
	loseOrderAnswer faultPoint = "the order is placed, its answer lost"
	// failStatusWrite: the status write recording the order fails.
	failStatusWrite faultPoint = "the status write recording the order fails"
	// holdRecordUntilInProgress: the status writes recording the order fail
	// until Partner Center has answered another order call with 800060.
	holdRecordUntilInProgress faultPoint = "the order is recorded only after another order met 800060"
	// crashBeforeCheckout: the process stops after the cart was created and
	// its ID persisted, before the checkout call.
	crashBeforeCheckout faultPoint = "the cart is created, the process stops before its checkout"
	// loseCheckoutAnswer: the checkout reaches Partner Center, its answer is lost.
	loseCheckoutAnswer faultPoint = "the checkout is done, its answer lost"
	// holdCheckout: checkouts fail (as if the process were down) until released.
	holdCheckout faultPoint = "no checkout until released"
)

// faults arms one-shot fault points, per Subscription name.
type faults struct {
	mu    sync.Mutex
	armed map[faultPoint]map[string]bool
	// sent are the MS-RequestIds of the order calls, per Subscription name.
	sent map[string][]string
	// carts maps cart IDs to the Subscription name they were created for.
	carts map[string]string
}

// ownCart remembers that cartID was created for name.
func (f *faults) ownCart(cartID, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.carts == nil {
		f.carts = map[string]string{}
	}
	f.carts[cartID] = name
}

// cartOwner is the Subscription name cartID was created for.
func (f *faults) cartOwner(cartID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.carts[cartID]
}

// recordOrderCall remembers the MS-RequestId of an order call for name.
func (f *faults) recordOrderCall(name, requestID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sent == nil {
		f.sent = map[string][]string{}
	}
	f.sent[name] = append(f.sent[name], requestID)
}

// requestIDs are the MS-RequestIds of the order calls made for name so far.
func (f *faults) requestIDs(name string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent[name]...)
}

// arm makes point fail once for the Subscription named name.
func (f *faults) arm(point faultPoint, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.armed == nil {
		f.armed = map[faultPoint]map[string]bool{}
	}
	if f.armed[point] == nil {
		f.armed[point] = map[string]bool{}
	}
	f.armed[point][name] = true
}

// take reports whether point is armed for name, disarming it.
func (f *faults) take(point faultPoint, name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	armed := f.armed[point][name]
	delete(f.armed[point], name)
	return armed
}

// holding reports whether point is armed for name, leaving it armed.
func (f *faults) holding(point faultPoint, name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.armed[point][name]
}

// releaseHolds disarms point for every name but by.
func (f *faults) releaseHolds(point faultPoint, by string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for name := range f.armed[point] {
		if name != by {
			delete(f.armed[point], name)
		}
	}
}

// faultyExternal is Partner Center with a fault point after the order call.
// Test orders carry the Subscription's name as friendly name.
type faultyExternal struct {
	subscription.External
	faults *faults
}

// CreateOrder records the call's MS-RequestId and loses the answer of a
// successful call when armed.
func (e *faultyExternal) CreateOrder(ctx context.Context, requestID, customerID string, order wire.Order) (*wire.Order, error) {
	name := order.LineItems[0].FriendlyName
	e.faults.recordOrderCall(name, requestID)
	out, err := e.External.CreateOrder(ctx, requestID, customerID, order)
	if partnercenter.IsOrderInProgress(err) {
		e.faults.releaseHolds(holdRecordUntilInProgress, name)
	}
	if err == nil && e.faults.take(loseOrderAnswer, name) {
		return nil, &partnercenter.Error{StatusCode: 504, Description: "gateway timeout after the order was placed"}
	}
	return out, err
}

// CheckoutCart fails before the call (crashBeforeCheckout, holdCheckout) or
// loses the answer of a successful call (loseCheckoutAnswer), per the
// Subscription named by the cart's line (its friendly name).
func (e *faultyExternal) CheckoutCart(ctx context.Context, requestID, customerID, cartID string) (*wire.CartCheckoutResult, error) {
	name := e.faults.cartOwner(cartID)
	if e.faults.take(crashBeforeCheckout, name) || e.faults.holding(holdCheckout, name) {
		return nil, errInjected
	}
	out, err := e.External.CheckoutCart(ctx, requestID, customerID, cartID)
	if err == nil && e.faults.take(loseCheckoutAnswer, name) {
		return nil, &partnercenter.Error{StatusCode: 504, Description: "gateway timeout after the checkout"}
	}
	return out, err
}

// CreateCart remembers which Subscription (friendly name) a cart is for.
func (e *faultyExternal) CreateCart(ctx context.Context, requestID, customerID string, cart wire.Cart) (*wire.Cart, error) {
	out, err := e.External.CreateCart(ctx, requestID, customerID, cart)
	if err == nil {
		e.faults.ownCart(out.ID, cart.LineItems[0].FriendlyName)
	}
	return out, err
}

// faultyClient fails the status write that records the order when armed.
func faultyClient(c client.WithWatch, f *faults) client.WithWatch {
	return interceptor.NewClient(c, interceptor.Funcs{
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
			if s, ok := obj.(*v1alpha1.Subscription); ok && s.Status.OrderID != "" && (f.take(failStatusWrite, s.Name) || f.holding(holdRecordUntilInProgress, s.Name)) {
				return apierrors.NewServiceUnavailable(errInjected.Error())
			}
			return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
		},
	})
}

// deleteSubscriptions deletes what a test left in ns: envtest runs no
// namespace controller, and no Subscription may keep calling Partner Center
// in a later test.
func deleteSubscriptions(ns string) {
	var list v1alpha1.SubscriptionList
	Expect(k8s.List(context.Background(), &list, client.InNamespace(ns))).To(Succeed())
	for i := range list.Items {
		Expect(client.IgnoreNotFound(k8s.Delete(context.Background(), &list.Items[i]))).To(Succeed())
	}
}

// newNamespace creates a namespace for one test.
func newNamespace() string { return testenv.NewNamespace(k8s, "s-") }

// inNewNamespace sets *ns to a new namespace before each spec of the
// container and deletes the Subscriptions the spec left there after it:
// envtest runs no namespace controller, and no Subscription may keep calling
// Partner Center in a later spec.
func inNewNamespace(ns *string) {
	BeforeEach(func() { *ns = newNamespace() })
	AfterEach(func() { deleteSubscriptions(*ns) })
}

// attestationObject is a partner attestation of customer's MCA acceptance, dated today.
func attestationObject(ns, name, customer string) *v1alpha1.MCAAttestation {
	return &v1alpha1.MCAAttestation{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MCAAttestationSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: customer},
			Method:      v1alpha1.MethodPartnerAttestation,
			AcceptedBy:  &v1alpha1.AcceptingPerson{FirstName: "Tania", LastName: "Carr", Email: "tania@" + customer + ".example"},
			DateAgreed:  env.Clock.Now().UTC().Format(time.DateOnly),
		},
	}
}

// subscriptionObject is a Subscription of quantity licenses of the offer;
// its friendly name is its own name (the fault points key on it).
func subscriptionObject(ns, name, customer string, quantity int32) *v1alpha1.Subscription {
	return &v1alpha1.Subscription{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.SubscriptionSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: customer}, OfferID: offer, Quantity: quantity, FriendlyName: name,
		},
	}
}

// createdCustomer creates a Customer, waits until the Customer controller
// created it in Partner Center (under review) and returns its customer ID.
func createdCustomer(ns, name string) (*v1alpha1.Customer, string) {
	c := testenv.CustomerObject(ns, name)
	Expect(k8s.Create(context.Background(), c)).To(Succeed())
	c = testenv.CreatedCustomer(k8s, c)
	return c, c.Status.CustomerID
}

// approve approves the customer's verification and waits until its Customer reports it.
func approve(c *v1alpha1.Customer, customerID string) {
	Expect(sim.ApproveVerification(customerID)).To(Succeed())
	testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
		return testenv.HasCondition(c, v1alpha1.ConditionVerified, metav1.ConditionTrue, "")
	}, "the Customer never saw the approval")
}

// attest attests the customer's MCA acceptance and waits until it is confirmed.
func attest(ns, customer string) {
	a := attestationObject(ns, customer, customer)
	Expect(k8s.Create(context.Background(), a)).To(Succeed())
	testenv.Eventually(k8s, a, func(a *v1alpha1.MCAAttestation) bool {
		return testenv.HasCondition(a, v1alpha1.ConditionAccepted, metav1.ConditionTrue, "")
	}, "the attestation was never accepted")
}

// buyableCustomer is a Customer that exists, is Approved and accepted the MCA.
func buyableCustomer(ns, name string) (*v1alpha1.Customer, string) {
	c, id := createdCustomer(ns, name)
	approve(c, id)
	attest(ns, name)
	return c, id
}

// activePartnership registers an Active reseller in the simulator and a
// ResellerPartnership whose status says Active (its controller is not part
// of this suite), and returns the MPN ID.
func activePartnership(ns, name string) string {
	mpn := testenv.NewMPNID()
	tenant := testenv.RegisterReseller(sim, mpn, "Trey Research "+mpn)
	Expect(sim.AcceptPartnership(mpn)).To(Succeed())
	rp := partnershipObject(ns, name, mpn)
	Expect(k8s.Create(context.Background(), rp)).To(Succeed())
	setPartnershipPhase(rp, v1alpha1.PhaseActive, tenant, "Trey Research "+mpn)
	return mpn
}

// partnershipObject is a ResellerPartnership with the reseller's MPN ID.
func partnershipObject(ns, name, mpn string) *v1alpha1.ResellerPartnership {
	return &v1alpha1.ResellerPartnership{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: mpn, ResellerEmail: "partners@trey.example"},
	}
}

// setPartnershipPhase writes the partnership's status as its controller would.
func setPartnershipPhase(rp *v1alpha1.ResellerPartnership, phase v1alpha1.PartnershipPhase, tenant, name string) {
	Eventually(func() error {
		cur := &v1alpha1.ResellerPartnership{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(rp), cur); err != nil {
			return err
		}
		cur.Status.Phase, cur.Status.ResellerMPNID, cur.Status.ResellerTenantID, cur.Status.ResellerName = phase, rp.Spec.ResellerMPNID, tenant, name
		return k8s.Status().Update(context.Background(), cur)
	}).Should(Succeed())
}

// get reads the Subscription again.
func get(s *v1alpha1.Subscription) *v1alpha1.Subscription { return testenv.Fetch(k8s, s) }

// eventually polls the Subscription until match holds and returns it.
func eventually(s *v1alpha1.Subscription, match func(*v1alpha1.Subscription) bool, what string) *v1alpha1.Subscription {
	return testenv.Eventually(k8s, s, match, what)
}

// hasCondition tells whether the Subscription's condition has that status and (if given) reason.
func hasCondition(s *v1alpha1.Subscription, condType string, st metav1.ConditionStatus, reason string) bool {
	return testenv.HasCondition(s, condType, st, reason)
}

// blockedWith waits until the order is blocked with that reason.
func blockedWith(s *v1alpha1.Subscription, reason string) *v1alpha1.Subscription {
	return eventually(s, func(s *v1alpha1.Subscription) bool {
		return hasCondition(s, v1alpha1.ConditionOrderBlocked, metav1.ConditionTrue, reason) &&
			hasCondition(s, v1alpha1.ConditionReady, metav1.ConditionFalse, reason)
	}, "the order was never blocked with "+reason)
}

// ready waits until the Subscription is Ready.
func ready(s *v1alpha1.Subscription) *v1alpha1.Subscription {
	return eventually(s, func(s *v1alpha1.Subscription) bool {
		return hasCondition(s, v1alpha1.ConditionReady, metav1.ConditionTrue, subscription.ReasonReady.Name)
	}, "the subscription never became Ready")
}

// ordered waits for the order to be pending, lets the simulated clock
// complete it, and waits until the Subscription is Ready.
func ordered(s *v1alpha1.Subscription) *v1alpha1.Subscription {
	eventually(s, func(s *v1alpha1.Subscription) bool {
		return hasCondition(s, v1alpha1.ConditionOrdered, metav1.ConditionFalse, subscription.ReasonOrderPending.Name)
	}, "the order was never pending")
	Expect(sim.Advance(orderCompletion)).To(Succeed())
	return ready(s)
}

// orderedNow creates the Subscription and waits until it is ordered and Ready.
func orderedNow(s *v1alpha1.Subscription) *v1alpha1.Subscription {
	Expect(k8s.Create(context.Background(), s)).To(Succeed())
	return ordered(s)
}

// ordersOf lists the simulator's orders for a customer.
func ordersOf(customerID string) []wire.Order {
	var out []wire.Order
	for _, o := range sim.Orders() {
		if o.ReferenceCustomerID == customerID {
			out = append(out, o)
		}
	}
	return out
}

// remote is the simulator's record of a subscription.
func remote(subscriptionID string) wire.Subscription {
	for _, sub := range sim.Subscriptions() {
		if sub.ID == subscriptionID {
			return sub
		}
	}
	Fail("the simulator has no subscription " + subscriptionID)
	return wire.Subscription{}
}

// update applies mutate to the Subscription, retrying on conflicts.
func update(s *v1alpha1.Subscription, mutate func(*v1alpha1.Subscription)) {
	Eventually(func() error {
		cur := get(s)
		mutate(cur)
		return k8s.Update(context.Background(), cur)
	}).Should(Succeed())
}

// quiet waits until the Subscription's resourceVersion stops moving and returns it.
func quiet(s *v1alpha1.Subscription) string {
	var rv string
	Eventually(func() bool {
		rv = get(s).ResourceVersion
		time.Sleep(300 * time.Millisecond)
		return get(s).ResourceVersion == rv
	}).Should(BeTrue())
	return rv
}
