// Package restart_test checks what an operator restart puts in its work
// queues. It has its own suite, not a spec of the change feed suite, because
// a restart replaces the manager and every reconciler in it: the other
// specs' objects and controllers (the change feed wakes at normal priority)
// would share the queue whose order is measured.
package restart_test

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
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

func TestRestart(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Work queue order after a restart")
}

var (
	env *testenv.Env
	k8s client.Client
)

var _ = BeforeSuite(func() {
	ctrl.SetLogger(GinkgoLogr)
	// Waits are for a change on a busy shared machine, never a measure of speed.
	SetDefaultEventuallyTimeout(15 * time.Second)
	testenv.FastPolls()
	var err error
	env, err = testenv.Start(testenv.Options{
		Role: config.RoleDirectBill,
		// The customer signs the MCA at once, so nothing waits on the simulated clock.
		Sim: pcsim.Config{},
		// Only the Customer controller, with the default hour-long resync: no
		// settled object comes back to the queue while a spec runs.
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			return customerController(mgr, deps, deps.PartnerCenter)
		},
	})
	Expect(err).NotTo(HaveOccurred())
	k8s = env.Client
})

var _ = AfterSuite(func() {
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// customerController registers a new Customer reconciler, remembering
// nothing, whose Partner Center is external.
func customerController(mgr ctrl.Manager, deps controller.Deps, external customer.External) error {
	r := &customer.Reconciler{
		Client: mgr.GetClient(), Reader: mgr.GetAPIReader(), External: external,
		Reporter: phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(customer.ControllerName)},
	}
	return r.SetupWithManager(mgr)
}

// readyCustomer creates a Customer and waits until it is Ready.
func readyCustomer(ns, name string) *v1alpha1.Customer {
	c := testenv.CustomerObject(ns, name)
	Expect(k8s.Create(context.Background(), c)).To(Succeed())
	return testenv.Eventually(k8s, c, func(c *v1alpha1.Customer) bool {
		return testenv.HasCondition(c, v1alpha1.ConditionReady, metav1.ConditionTrue, "")
	}, "the customer never became Ready")
}

// queueDepth is the number of requests ready in the Customer controller's
// work queue (a restarted controller reports under the same name).
func queueDepth() float64 {
	return testenv.MetricSum("workqueue_depth", "name", customer.ControllerName)
}
