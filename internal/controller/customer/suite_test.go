package customer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
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
	"github.com/cspforge/partnercenter-operator/internal/status"
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
	waitForWebhook(e.Client)
	return e
}

// waitForWebhook waits until the webhook server answers (the manager starts it
// in the background), so the first spec is not refused by a closed port.
func waitForWebhook(c client.Client) {
	probe := validCustomer("default", "webhookprobe")
	Eventually(func() bool {
		err := c.Create(context.Background(), probe, client.DryRunAll)
		return err == nil || strings.Contains(err.Error(), "denied the request") // answered either way
	}).WithTimeout(30 * time.Second).WithPolling(100 * time.Millisecond).Should(BeTrue())
}

var _ = BeforeSuite(func() {
	ctrl.SetLogger(GinkgoLogr)
	// Polls in this suite wait milliseconds, not seconds: time in Partner
	// Center moves on the simulated clock.
	status.FastDelay = 50 * time.Millisecond
	status.SlowMinDelay = 100 * time.Millisecond
	status.SlowMaxDelay = 300 * time.Millisecond
	env = startEnv(config.RoleIndirectProvider, pcsim.Config{ManualVerification: true, DirectSignDelay: -1})
	k8s = env.Client
	sim = env.Sim
})

var _ = AfterSuite(func() {
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// newNamespace creates a namespace for one test.
func newNamespace() string {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "c-" + rand.String(8)}}
	Expect(k8s.Create(context.Background(), ns)).To(Succeed())
	return ns.Name
}

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

// get reads the Customer again.
func get(c *v1alpha1.Customer) *v1alpha1.Customer {
	out := &v1alpha1.Customer{}
	Expect(k8s.Get(context.Background(), client.ObjectKeyFromObject(c), out)).To(Succeed())
	return out
}

// condition returns the Customer's condition of that type (nil if absent).
func condition(c *v1alpha1.Customer, condType string) *metav1.Condition {
	for i := range c.Status.Conditions {
		if c.Status.Conditions[i].Type == condType {
			return &c.Status.Conditions[i]
		}
	}
	return nil
}

// haveCondition matches a Customer whose condition has that status and reason.
func haveCondition(condType string, st metav1.ConditionStatus, reason string) func(*v1alpha1.Customer) bool {
	return func(c *v1alpha1.Customer) bool {
		cond := condition(c, condType)
		return cond != nil && cond.Status == st && (reason == "" || cond.Reason == reason)
	}
}

// eventually polls the Customer until match holds.
func eventually(c *v1alpha1.Customer, match func(*v1alpha1.Customer) bool, what string) *v1alpha1.Customer {
	var last *v1alpha1.Customer
	Eventually(func() bool {
		last = get(c)
		return match(last)
	}).WithTimeout(20*time.Second).WithPolling(50*time.Millisecond).Should(BeTrue(), func() string {
		return what + "; last status: " + statusString(last)
	})
	return last
}

// statusString renders a Customer's conditions for failure messages.
func statusString(c *v1alpha1.Customer) string {
	if c == nil {
		return "<none>"
	}
	out := "customerID=" + c.Status.CustomerID + " verification=" + c.Status.VerificationStatus
	for _, cond := range c.Status.Conditions {
		out += " | " + cond.Type + "=" + string(cond.Status) + " " + cond.Reason + ": " + cond.Message
	}
	return out
}
