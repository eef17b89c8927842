package resellerpartnership_test

import (
	"context"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/resellerpartnership"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

func TestResellerPartnership(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "ResellerPartnership controller")
}

var (
	env *testenv.Env
	k8s client.Client
	sim *pcsim.Simulator
)

// startEnv starts envtest + simulator + manager for an operator of role,
// with the ResellerPartnership and Customer webhooks, plus whatever setup
// registers. Resellers accept only when a test says so (AcceptPartnership).
func startEnv(role config.PartnerRole, setup func(ctrl.Manager, controller.Deps) error) *testenv.Env {
	e, err := testenv.Start(testenv.Options{
		Role:          role,
		PartnerDomain: "partner.example",
		Sim:           pcsim.Config{PartnershipAcceptDelay: -1, DirectSignDelay: -1},
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			if setup != nil {
				if err := setup(mgr, deps); err != nil {
					return err
				}
			}
			if err := webhookv1alpha1.SetupCustomerWebhookWithManager(mgr, deps.Config); err != nil {
				return err
			}
			return webhookv1alpha1.SetupResellerPartnershipWebhookWithManager(mgr, deps.Config)
		},
		WebhookResources: []string{"resellerpartnerships", "customers"},
	})
	Expect(err).NotTo(HaveOccurred())
	testenv.WaitForWebhook(e.Client, partnership("default", "webhook-probe", "12345"))
	return e
}

// registerControllers runs the ResellerPartnership controller and the
// Customer controller, whose gate reads the partnership (R4, R7).
func registerControllers(mgr ctrl.Manager, deps controller.Deps) error {
	if err := resellerpartnership.SetupWithManager(mgr, deps); err != nil {
		return err
	}
	return customer.SetupWithManager(mgr, deps)
}

var _ = BeforeSuite(func() {
	ctrl.SetLogger(GinkgoLogr)
	testenv.FastPolls()
	env = startEnv(config.RoleIndirectProvider, registerControllers)
	k8s, sim = env.Client, env.Sim
})

var _ = AfterSuite(func() {
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// newNamespace creates a namespace for one test.
func newNamespace() string { return testenv.NewNamespace(k8s, "rp-") }

// partnership is a ResellerPartnership with that reseller MPN ID.
func partnership(ns, name, mpnID string) *v1alpha1.ResellerPartnership {
	return &v1alpha1.ResellerPartnership{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: mpnID, ResellerEmail: "partners@" + name + ".example"},
	}
}

// activePartnership creates a partnership, lets its reseller accept, and
// returns it once Active with the reseller's tenant ID.
func activePartnership(ns, name string) (*v1alpha1.ResellerPartnership, string) {
	mpn := testenv.NewMPNID()
	tenant := testenv.RegisterReseller(sim, mpn, "Reseller "+name)
	rp := partnership(ns, name, mpn)
	Expect(k8s.Create(context.Background(), rp)).To(Succeed())
	inPhase(rp, v1alpha1.PhaseRequested)
	Expect(sim.AcceptPartnership(mpn)).To(Succeed())
	return active(rp), tenant
}

// active waits until the partnership is Active and Ready.
func active(rp *v1alpha1.ResellerPartnership) *v1alpha1.ResellerPartnership {
	return eventually(rp, func(rp *v1alpha1.ResellerPartnership) bool {
		return rp.Status.Phase == v1alpha1.PhaseActive &&
			hasCondition(rp, v1alpha1.ConditionActive, metav1.ConditionTrue, resellerpartnership.ReasonActive.Name) &&
			hasCondition(rp, v1alpha1.ConditionReady, metav1.ConditionTrue, resellerpartnership.ReasonActive.Name)
	}, "the partnership never became Active")
}

// inPhase waits until the partnership reports that phase.
func inPhase(rp *v1alpha1.ResellerPartnership, p v1alpha1.PartnershipPhase) *v1alpha1.ResellerPartnership {
	return eventually(rp, func(rp *v1alpha1.ResellerPartnership) bool { return rp.Status.Phase == p }, "never reached phase "+string(p))
}

// stalledWith waits until Stalled=True with that reason.
func stalledWith(rp *v1alpha1.ResellerPartnership, reason string) *v1alpha1.ResellerPartnership {
	return eventually(rp, func(rp *v1alpha1.ResellerPartnership) bool {
		return hasCondition(rp, v1alpha1.ConditionStalled, metav1.ConditionTrue, reason)
	}, "never stalled with "+reason)
}

// update re-reads the partnership, applies change and writes it, retrying conflicts.
func update(rp *v1alpha1.ResellerPartnership, change func(*v1alpha1.ResellerPartnership)) {
	Eventually(func() error {
		cur := get(rp)
		change(cur)
		return k8s.Update(context.Background(), cur)
	}).Should(Succeed())
}

// gone tells whether the object no longer exists.
func gone(obj client.Object) func() bool {
	return func() bool {
		err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj.DeepCopyObject().(client.Object))
		return client.IgnoreNotFound(err) == nil && err != nil
	}
}

// get reads the partnership again.
func get(rp *v1alpha1.ResellerPartnership) *v1alpha1.ResellerPartnership {
	return testenv.Fetch(k8s, rp)
}

// hasCondition tells whether the condition has that status and (if given) reason.
func hasCondition(obj status.Object, condType string, st metav1.ConditionStatus, reason string) bool {
	return testenv.HasCondition(obj, condType, st, reason)
}

// eventually polls the partnership until match holds and returns it.
func eventually(rp *v1alpha1.ResellerPartnership, match func(*v1alpha1.ResellerPartnership) bool, what string) *v1alpha1.ResellerPartnership {
	return testenv.Eventually(k8s, rp, match, what)
}

// eventNotes lists the notes of the events about obj, by reason.
func eventNotes(obj client.Object) map[string]string { return testenv.EventNotes(k8s, obj) }

// listed tells whether the simulator lists the MPN ID among the provider's indirect resellers.
func listed(mpnID string) bool {
	resellers, err := env.PC.ListIndirectResellers(context.Background())
	Expect(err).NotTo(HaveOccurred())
	for _, r := range resellers {
		if r.MpnID == mpnID {
			return true
		}
	}
	return false
}

// reconcileCount is how many reconciles the ResellerPartnership controller finished.
func reconcileCount() float64 { return testenv.ReconcileCount(resellerpartnership.ControllerName) }

// customerFor is a US Customer created on behalf of the reseller of partnership rpName.
func customerFor(ns, rpName string) *v1alpha1.Customer {
	domain := "resold" + rand.String(6)
	return &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: domain},
		Spec: v1alpha1.CustomerSpec{
			CompanyName: "Contoso Ltd", Domain: domain, Email: "billing@contoso.example",
			Address:             &v1alpha1.Address{AddressLine1: "1 Microsoft Way", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
			PrimaryContact:      &v1alpha1.Contact{FirstName: "Maria", LastName: "Silva", Email: "maria@contoso.example"},
			IndirectResellerRef: &v1alpha1.LocalObjectReference{Name: rpName},
		},
	}
}

// simCustomer is the simulator's record of a customer.
func simCustomer(customerID string) pcsim.CustomerRecord {
	r, ok := sim.Customer(customerID)
	Expect(ok).To(BeTrue(), "the simulator has no customer "+customerID)
	return r
}
