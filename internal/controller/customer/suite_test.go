package customer_test

import (
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
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

func TestCustomer(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Customer controller")
}

var (
	env      *testenv.Env
	k8s      client.Client
	sim      *pcsim.Simulator
	injected = &faults{}
)

// startEnv starts envtest + simulator + manager with the Customer reconciler
// (behind the fault points) and its webhook, for an operator of role.
func startEnv(role config.PartnerRole, simCfg pcsim.Config) *testenv.Env {
	e, err := testenv.Start(testenv.Options{
		Role:          role,
		PartnerDomain: "partner.example",
		Sim:           simCfg,
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			// The manager's client, rebuilt as a WithWatch so the fault points can wrap it:
			// reads from the cache, writes to the API server.
			base, err := client.NewWithWatch(mgr.GetConfig(), client.Options{
				Scheme: mgr.GetScheme(), Cache: &client.CacheOptions{Reader: mgr.GetCache()},
			})
			if err != nil {
				return err
			}
			r := &customer.Reconciler{
				Client:   faultyClient(base, injected),
				Reader:   mgr.GetAPIReader(),
				External: &faultyExternal{External: deps.PartnerCenter, faults: injected},
				Reporter: phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(customer.ControllerName)},
			}
			if err := r.SetupWithManager(mgr); err != nil {
				return err
			}
			return webhookv1alpha1.SetupCustomerWebhookWithManager(mgr, deps.Config)
		},
		WebhookResources: []string{"customers"},
	})
	Expect(err).NotTo(HaveOccurred())
	testenv.WaitForWebhook(e.Client, validCustomer("default", "webhookprobe"))
	return e
}

// managerLog is everything the manager logs (C12: no temporary password in it).
var managerLog *testenv.SyncBuffer

var _ = BeforeSuite(func() {
	managerLog = testenv.CaptureLogs(GinkgoWriter)
	testenv.FastPolls()
	env = startEnv(config.RoleIndirectProvider, pcsim.Config{ManualVerification: true, DirectSignDelay: -1})
	k8s = env.Client
	sim = env.Sim
})

var _ = AfterSuite(func() {
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// uniqueDomain returns a fresh domain prefix, also used as the Customer's name.
func uniqueDomain(prefix string) string { return prefix + rand.String(6) }

// validCustomer is a US customer every rule accepts; its name is its domain.
func validCustomer(ns, domain string) *v1alpha1.Customer {
	return &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: domain},
		Spec: v1alpha1.CustomerSpec{
			CompanyName: "Contoso Ltd",
			Domain:      domain,
			Email:       "billing@contoso.example",
			Address: &v1alpha1.Address{
				AddressLine1: "1 Microsoft Way", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US",
			},
			PrimaryContact: &v1alpha1.Contact{FirstName: "Maria", LastName: "Silva", Email: "maria@contoso.example"},
		},
	}
}

// newNamespace creates a namespace for one test.
func newNamespace() string { return testenv.NewNamespace(k8s, "c-") }

// get reads the Customer again.
func get(c *v1alpha1.Customer) *v1alpha1.Customer { return testenv.Fetch(k8s, c) }

// haveCondition matches a Customer whose condition has that status and reason.
func haveCondition(condType string, st metav1.ConditionStatus, reason string) func(*v1alpha1.Customer) bool {
	return func(c *v1alpha1.Customer) bool { return testenv.HasCondition(c, condType, st, reason) }
}

// eventually polls the Customer until match holds.
func eventually(c *v1alpha1.Customer, match func(*v1alpha1.Customer) bool, what string) *v1alpha1.Customer {
	return testenv.Eventually(k8s, c, match, what)
}
