package restart_test

import (
	"context"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

var _ = Describe("An operator restart", func() {
	// Issue #25. The new process remembers no Customer as settled, so its
	// initial list is a full pass over every Customer: that list goes in at
	// low priority, behind new work.
	It("does not put every settled Customer in front of a new one", func() {
		ns := testenv.NewNamespace(k8s, "restart-")
		var settled []string // customer IDs
		for _, name := range []string{"s1", "s2", "s3", "s4", "s5"} {
			settled = append(settled, readyCustomer(ns, name).Status.CustomerID)
		}
		testenv.QuietReconcileCount(customer.ControllerName)
		// The restarted controller reports its depth under the same name; what
		// the old queue left in the gauge is not the new queue's.
		stale := queueDepth()
		queued := func() float64 { return queueDepth() - stale }

		var restarted *testenv.CustomerCalls
		var release func()
		Expect(env.Restart(func(mgr ctrl.Manager, deps controller.Deps) error {
			restarted = testenv.NewCustomerCalls(deps.PartnerCenter)
			release = restarted.Hold() // from the first pass on
			return customerController(mgr, deps, restarted)
		})).To(Succeed())
		DeferCleanup(func() { release() })
		// The first pass of the initial list takes the one worker and waits in
		// Partner Center; every other settled Customer queues behind it. (The
		// queue fills before the worker starts: a new Customer created then
		// would be first anyway, proving nothing about a busy operator.)
		Eventually(func() []string { return restarted.Recorded(0) }).ShouldNot(BeEmpty(), "the restarted controller never began a pass")
		Eventually(queued).Should(BeNumerically(">=", len(settled)-1), "the initial list never queued up behind the held pass")

		Expect(k8s.Create(context.Background(), testenv.CustomerObject(ns, "new"))).To(Succeed())
		Eventually(queued).Should(BeNumerically(">=", len(settled)), "the new Customer never queued")
		release()

		Eventually(func() []string { return restarted.Recorded(0) }).Should(And(ContainElement(HavePrefix("create:")), ContainElements(settled)),
			"the new Customer and every settled one were not all worked on")
		calls := restarted.Recorded(0)
		held := calls[0]
		Expect(settled).To(ContainElement(held), "the held pass was not of a settled Customer: %v", calls)
		created := slices.IndexFunc(calls, func(c string) bool { return strings.HasPrefix(c, "create:") })
		Expect(calls[:created]).To(HaveEach(held), "work done before the new Customer: %v", calls)
		// Each settled Customer queued before the new one was created, and
		// was worked on after it.
		for _, id := range settled {
			if id != held {
				Expect(calls[created:]).To(ContainElement(id), "settled customer %s was read before the new Customer: %v", id, calls)
			}
		}
	})
})
