// Package importbook proves the import of an existing Partner Center book
// end to end (I1): a book seeded into the simulator through its control API,
// exported with the export command's code over HTTP, applied to a real API
// server with the operator running: everything adopted and Ready without a
// single write to Partner Center, then one object switched to Manage.
package importbook

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/onsi/gomega"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/resellerpartnership"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/export"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

// bookSize is the book of the test: the minimum.
var bookSize = pcsim.BookSize{Customers: 200, Subscriptions: 600, Resellers: 5, MCAEvery: 3}

// env is the environment both tests share (one manager per process: the
// controllers' names are unique): envtest, the simulator with its control
// API, and the manager with every reconciler and webhook of the operator.
// Each test works in its own namespace and counts Partner Center calls from
// its own start.
var env *testenv.Env

func TestMain(m *testing.M) {
	ctrl.SetLogger(zap.New(zap.WriteTo(io.Discard))) // 1,000 objects' lines would drown the tests' own
	status.FastDelay, status.SlowMinDelay, status.SlowMaxDelay = 50*time.Millisecond, 100*time.Millisecond, 300*time.Millisecond
	var err error
	env, err = testenv.Start(testenv.Options{
		Role: config.RoleIndirectProvider, PartnerDomain: "partner.example",
		Sim: pcsim.Config{EnableControlAPI: true},
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			for _, setup := range []func(ctrl.Manager, controller.Deps) error{
				customer.SetupWithManager, mcaattestation.SetupWithManager, resellerpartnership.SetupWithManager, subscription.SetupWithManager,
			} {
				if err := setup(mgr, deps); err != nil {
					return err
				}
			}
			return webhookv1alpha1.SetupWebhooksWithManager(mgr, deps.Config)
		},
		WebhookResources: []string{"customers", "mcaattestations", "resellerpartnerships", "subscriptions"},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// callCounts are the simulator's per-operation call counters.
type callCounts map[string]int

// since is how many calls of op were made after before was taken.
func (now callCounts) since(before callCounts, op string) int { return now[op] - before[op] }

func TestImportAnExistingBook(t *testing.T) {
	gomega.RegisterTestingT(t) // testenv's helpers assert with Gomega
	ctx := context.Background()
	// What the other test of the shared simulator seeded is exported too.
	earlierCustomers, earlierSubscriptions := len(env.Sim.Customers()), len(env.Sim.Subscriptions())
	seeded, err := pcsim.SeedOverHTTP(ctx, env.SimulatorURL(), pcsim.SampleBook(bookSize))
	if err != nil {
		t.Fatal(err)
	}
	if len(seeded.CustomerIDs) != bookSize.Customers {
		t.Fatalf("seeded %d customers", len(seeded.CustomerIDs))
	}

	dir := t.TempDir()
	summary, err := export.Run(ctx, env.PC, export.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("exported %+v", *summary)
	if summary.Customers != earlierCustomers+bookSize.Customers || summary.Subscriptions != earlierSubscriptions+bookSize.Subscriptions || summary.Resellers != bookSize.Resellers {
		t.Fatalf("exported %+v, want the whole book", *summary)
	}

	ns := testenv.NewNamespace(env.Client, "import-")
	sim := env.Sim
	before, writes := callCounts(sim.CallCounts()), sim.WriteCalls()
	started := time.Now()
	applied := apply(t, env.Client, dir, ns)
	t.Logf("applied %d objects", applied)
	waitAllReady(t, env.Client, ns, applied)
	t.Logf("every object Ready %s after the apply began", time.Since(started).Round(time.Second))

	after := callCounts(sim.CallCounts())
	if n := after.since(before, wire.OpCreateCustomer); n != 0 {
		t.Errorf("%d customer creates", n)
	}
	if n := after.since(before, wire.OpCreateOrder); n != 0 {
		t.Errorf("%d orders", n)
	}
	if n := sim.WriteCalls() - writes; n != 0 {
		t.Errorf("%d writes to Partner Center in Observe: %v", n, sim.CallCounts())
	}
	if t.Failed() {
		t.FailNow()
	}

	// One Subscription switched to Manage with a quantity change: exactly one PATCH.
	var subs v1alpha1.SubscriptionList
	if err := env.Client.List(ctx, &subs, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	target := subs.Items[0]
	want := target.Spec.Quantity + 3
	target.Spec.ManagementPolicy, target.Spec.Quantity = v1alpha1.ManagementPolicyManage, want
	if err := env.Client.Update(ctx, &target); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		var got v1alpha1.Subscription
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(&target), &got); err != nil {
			t.Fatal(err)
		}
		if got.Status.Quantity == want && status.IsTrue(&got, v1alpha1.ConditionReady) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the quantity change was not applied: %s", testenv.Conditions(&got))
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // anything else the switch would wrongly set off has time to show
	if n := callCounts(sim.CallCounts()).since(before, wire.OpUpdateSubscription); n != 1 {
		t.Errorf("%d subscription PATCHes, want exactly 1", n)
	}
	if n := sim.WriteCalls() - writes; n != 1 {
		t.Errorf("%d writes to Partner Center, want only the PATCH: %v", n, sim.CallCounts())
	}
	for _, s := range sim.Subscriptions() {
		if s.ID == target.Spec.SubscriptionID && s.Quantity != int(want) {
			t.Errorf("Partner Center has quantity %d, want %d", s.Quantity, want)
		}
	}
}

// apply builds dir with kustomize, as a GitOps tool would, and creates every
// object in namespace ns; it returns how many.
func apply(t *testing.T, c client.Client, dir, ns string) int {
	t.Helper()
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build: %v", err)
	}
	for _, r := range resources.Resources() {
		m, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		obj := &unstructured.Unstructured{Object: m}
		obj.SetNamespace(ns)
		if err := c.Create(context.Background(), obj); err != nil {
			t.Fatalf("applying %s %s: %v", obj.GetKind(), obj.GetName(), err)
		}
	}
	return len(resources.Resources())
}

// waitAllReady waits until all n objects in ns are Ready=True.
func waitAllReady(t *testing.T, c client.Client, ns string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		ready, notReady := 0, ""
		for _, list := range []client.ObjectList{&v1alpha1.CustomerList{}, &v1alpha1.MCAAttestationList{}, &v1alpha1.ResellerPartnershipList{}, &v1alpha1.SubscriptionList{}} {
			if err := c.List(context.Background(), list, client.InNamespace(ns)); err != nil {
				t.Fatal(err)
			}
			for _, obj := range items(t, list) {
				if status.IsTrue(obj, v1alpha1.ConditionReady) {
					ready++
				} else if notReady == "" {
					notReady = fmt.Sprintf("%T %s:%s", obj, obj.GetName(), testenv.Conditions(obj))
				}
			}
		}
		if ready == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d objects Ready; for example %s", ready, n, notReady)
		}
		time.Sleep(time.Second)
	}
}

// items are the objects of one of this API's lists.
func items(t *testing.T, list client.ObjectList) []status.Object {
	objs, err := apimeta.ExtractList(list)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]status.Object, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.(status.Object))
	}
	return out
}
