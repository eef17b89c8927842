// Package quiet_test checks that every kind is a quiet reconciler across
// resyncs: settled objects whose Partner Center state did not change are read
// again on each resync and written zero times.
package quiet_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/google/uuid"
	"github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/resellerpartnership"
	"github.com/cspforge/partnercenter-operator/internal/controller/subscription"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// onboardings is N: settled objects of each kind.
const onboardings = 4

// resync is the resync period the manager runs with (real time; the
// simulated clock is moved past it on each round).
const resync = time.Second

// TestSettledObjectsOfEveryKindWriteNothingOnResync is the test figure for
// the quiet reconcilers: 0 status writes for N settled objects of every kind
// over several resyncs, while each resync did read them again.
func TestSettledObjectsOfEveryKindWriteNothingOnResync(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane; skipped with -short")
	}
	gomega.RegisterTestingT(t) // the testenv helpers assert with Gomega
	ctrl.SetLogger(logr.Discard())
	status.FastDelay, status.SlowMinDelay, status.SlowMaxDelay = 50*time.Millisecond, 100*time.Millisecond, 300*time.Millisecond
	env, err := testenv.Start(testenv.Options{
		Role: config.RoleIndirectProvider, PartnerDomain: "partner.example",
		Sim: pcsim.Config{DirectSignDelay: -1, PartnershipAcceptDelay: -1},
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			deps.Config.ResyncPeriod = resync
			for _, setup := range []func(ctrl.Manager, controller.Deps) error{
				customer.SetupWithManager, mcaattestation.SetupWithManager, resellerpartnership.SetupWithManager, subscription.SetupWithManager,
			} {
				if err := setup(mgr, deps); err != nil {
					return err
				}
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Error(err)
		}
	})
	ctx, k8s := context.Background(), env.Client
	ns := testenv.NewNamespace(k8s, "quiet-")
	var objects []client.Object
	for i := range onboardings {
		name := fmt.Sprintf("contoso-%d", i)
		mpn := fmt.Sprintf("%07d", 4100000+i)
		if err := env.Sim.RegisterReseller(pcsim.Reseller{MPNID: mpn, TenantID: uuid.NewString(), Name: "Trey Research " + mpn}); err != nil {
			t.Fatal(err)
		}
		if err := env.Sim.AcceptPartnership(mpn); err != nil {
			t.Fatal(err)
		}
		objects = append(objects,
			&v1alpha1.ResellerPartnership{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "trey-" + mpn},
				Spec: v1alpha1.ResellerPartnershipSpec{ResellerMPNID: mpn, ResellerEmail: "partners@trey.example"}},
			&v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
				Spec: v1alpha1.CustomerSpec{
					CompanyName: "Contoso Ltd", Domain: fmt.Sprintf("contoso%d%s", i, strings.ReplaceAll(uuid.NewString()[:6], "-", "")), Email: "billing@contoso.example",
					Address:        &v1alpha1.Address{AddressLine1: "1 Microsoft Way", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
					PrimaryContact: &v1alpha1.Contact{FirstName: "Maria", LastName: "Silva", Email: "maria@contoso.example"},
				}},
			&v1alpha1.MCAAttestation{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
				Spec: v1alpha1.MCAAttestationSpec{
					CustomerRef: v1alpha1.LocalObjectReference{Name: name}, Method: v1alpha1.MethodPartnerAttestation,
					AcceptedBy: &v1alpha1.AcceptingPerson{FirstName: "Tania", LastName: "Carr", Email: "tania@contoso.example"},
					DateAgreed: env.Clock.Now().UTC().Format(time.DateOnly),
				}},
			&v1alpha1.Subscription{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
				Spec: v1alpha1.SubscriptionSpec{CustomerRef: v1alpha1.LocalObjectReference{Name: name}, OfferID: "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P", Quantity: 2}},
		)
	}
	for _, obj := range objects {
		if err := k8s.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	waitAllReady(t, env, objects)

	controllers := []string{customer.ControllerName, mcaattestation.ControllerName, resellerpartnership.ControllerName, subscription.ControllerName}
	before := versions(t, k8s, objects)
	for round := 1; round <= 3; round++ {
		counts := map[string]float64{}
		for _, c := range controllers {
			counts[c] = testenv.ReconcileCount(c)
		}
		env.Clock.Advance(2 * resync)
		time.Sleep(3 * resync)
		for _, c := range controllers {
			if got := testenv.ReconcileCount(c) - counts[c]; got < onboardings {
				t.Fatalf("round %d: %s reconciled %v times in a resync period, want at least %d: the test measured no resync", round, c, got, onboardings)
			}
		}
	}
	after := versions(t, k8s, objects)
	writes := 0
	for key, rv := range before {
		if after[key] != rv {
			writes++
			t.Errorf("%s was written on a resync that found nothing new", key)
		}
	}
	t.Logf("%d of %d settled objects written over 3 resyncs (want 0)", writes, len(objects))
}

// waitAllReady moves the simulated clock on until every object is Ready.
func waitAllReady(t *testing.T, env *testenv.Env, objects []client.Object) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		notReady := ""
		for _, obj := range objects {
			cur := obj.DeepCopyObject().(client.Object)
			if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(obj), cur); err != nil {
				t.Fatal(err)
			}
			if !status.IsTrue(cur.(status.Object), v1alpha1.ConditionReady) {
				notReady = fmt.Sprintf("%T %s", cur, cur.GetName())
				break
			}
		}
		if notReady == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never became Ready", notReady)
		}
		env.Clock.Advance(10 * time.Minute)
		time.Sleep(200 * time.Millisecond)
	}
}

// versions are the resourceVersions of the objects, by kind and name.
func versions(t *testing.T, k8s client.Client, objects []client.Object) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, obj := range objects {
		cur := obj.DeepCopyObject().(client.Object)
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), cur); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("%T %s", cur, cur.GetName())] = cur.GetResourceVersion()
	}
	return out
}
