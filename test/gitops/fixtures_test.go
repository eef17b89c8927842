package gitops

import (
	"context"
	"fmt"
	"time"

	kstatus "github.com/fluxcd/cli-utils/pkg/kstatus/status"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// The fixtures below are shared by the kstatus test and the Argo CD health
// test: every kind in every state, built through the status package (the
// same calls the reconcilers make), written to the real API server and read
// back as a GitOps tool reads it.

// Argo CD health statuses the health script returns.
const (
	argoHealthy     = "Healthy"
	argoProgressing = "Progressing"
	argoDegraded    = "Degraded"
	argoSuspended   = "Suspended"
)

// Reasons used to build the states. They stand for the reasons of each retry
// class; the controllers' own reasons behave alike by class.
var (
	waitingReason = status.Reason{Name: "VerificationUnderReview", Class: status.RetrySlow}
	stalledReason = status.Reason{Name: "AddressRejected", Class: status.NeedsUser}
	readyReason   = status.Reason{Name: "Ready", Class: status.Settled}
	blockedReason = status.Reason{Name: "OrderBlocked", Class: status.RetrySlow}
)

// kindFixture knows how to build a valid object of one kind, how to block it
// the way that kind is blocked, and how to change its spec.
type kindFixture struct {
	kind string
	// build returns a valid object with an empty status.
	build func(ns, name string) status.Object
	// block writes the kind's "waiting on something else" status.
	block func(obj status.Object)
	// changeSpec edits the spec so metadata.generation moves on.
	changeSpec func(obj status.Object)
}

// state is one life-cycle state and what each tool must make of it.
type state struct {
	name string
	// apply writes the status through the status package; nil leaves it empty.
	apply func(k kindFixture, obj status.Object)
	// then acts on the stored object after the status write (spec change, delete).
	then func(ctx context.Context, c client.Client, k kindFixture, obj status.Object) error
	// kstatus is what Flux's kstatus must compute.
	kstatus kstatus.Status
	// fluxCEL is what Flux computes with the healthCheckExprs of docs/operations.md.
	fluxCEL kstatus.Status
	// argo is what the Argo CD health script must return.
	argo string
	// argoMessage is a part the Argo CD message must contain ("" skips the check).
	argoMessage string
}

// fixture is one kind in one state.
type fixture struct {
	kind  kindFixture
	state state
}

// name identifies a fixture in test output and object names.
func (f fixture) name() string { return f.kind.kind + "/" + f.state.name }

var kinds = []kindFixture{
	{
		kind: "Customer",
		build: func(ns, name string) status.Object {
			return &v1alpha1.Customer{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
				Spec: v1alpha1.CustomerSpec{
					CompanyName: "Fabrikam B.V.", Domain: "fabrikamnl", Email: "billing@fabrikam.example",
					Address:        &v1alpha1.Address{AddressLine1: "Keizersgracht 1", City: "Amsterdam", PostalCode: "1015 CJ", Country: "NL"},
					PrimaryContact: &v1alpha1.Contact{FirstName: "Anna", LastName: "de Vries"},
				},
			}
		},
		block: func(obj status.Object) {
			status.Report(obj, status.Outcome{Reason: status.Reason{Name: "ResellerPartnershipNotActive", Class: status.RetrySlow},
				Message: "ResellerPartnership first-up is not Active yet."})
		},
		changeSpec: func(obj status.Object) { obj.(*v1alpha1.Customer).Spec.CompanyName = "Fabrikam Nederland B.V." },
	},
	{
		kind: "MCAAttestation",
		build: func(ns, name string) status.Object {
			return &v1alpha1.MCAAttestation{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
				Spec: v1alpha1.MCAAttestationSpec{
					CustomerRef: v1alpha1.LocalObjectReference{Name: "fabrikam"},
					Method:      v1alpha1.MethodDirectAcceptance,
				},
			}
		},
		block: func(obj status.Object) {
			status.Report(obj, status.Outcome{Reason: status.Reason{Name: "WaitingForCustomer", Class: status.RetrySlow},
				Message: "Customer fabrikam has no Partner Center customer ID yet."})
		},
		changeSpec: func(obj status.Object) {
			obj.(*v1alpha1.MCAAttestation).Spec.DirectAcceptanceTimeout = &metav1.Duration{Duration: 72 * time.Hour}
		},
	},
	{
		kind: "ResellerPartnership",
		build: func(ns, name string) status.Object {
			return &v1alpha1.ResellerPartnership{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
				Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "4847383", ResellerEmail: "partners@firstup.example"},
			}
		},
		block: func(obj status.Object) {
			obj.(*v1alpha1.ResellerPartnership).Status.Phase = v1alpha1.PhaseRequested
			status.Report(obj, status.Outcome{Reason: status.Reason{Name: "AwaitingAcceptance", Class: status.RetrySlow},
				Message: "Waiting for the reseller to accept the partnership request."})
		},
		changeSpec: func(obj status.Object) {
			obj.(*v1alpha1.ResellerPartnership).Spec.ResellerEmail = "csp@firstup.example"
		},
	},
	{
		kind: "Subscription",
		build: func(ns, name string) status.Object {
			return &v1alpha1.Subscription{
				ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
				Spec: v1alpha1.SubscriptionSpec{
					CustomerRef: v1alpha1.LocalObjectReference{Name: "fabrikam"},
					OfferID:     "CFQ7TTC0LDPB:0001:CFQ7TTC0K3BV", Quantity: 10,
				},
			}
		},
		block: func(obj status.Object) {
			gate := status.Reason{Name: v1alpha1.ReasonCustomerNotApproved, Class: status.RetrySlow}
			status.MarkTrue(obj, v1alpha1.ConditionOrderBlocked, gate, "Customer fabrikam is under review (C10).")
			status.Report(obj, status.Outcome{Reason: blockedReason, Message: "The order is held: customer fabrikam is under review (C10)."})
		},
		changeSpec: func(obj status.Object) { obj.(*v1alpha1.Subscription).Spec.Quantity++ },
	},
}

var states = []state{
	{
		// Before the operator's first visit (milliseconds after creation)
		// there is nothing to go on: kstatus falls back to Current. Flux
		// users who apply and wait in one step should use the health check
		// expressions in docs/operations.md; Argo CD's script says Progressing.
		name: "untouched", kstatus: kstatus.CurrentStatus, fluxCEL: kstatus.InProgressStatus,
		argo: argoProgressing, argoMessage: "Waiting for the operator",
	},
	{
		name:    "first visit",
		apply:   func(_ kindFixture, obj status.Object) { status.InitializeReady(obj) },
		kstatus: kstatus.InProgressStatus, fluxCEL: kstatus.InProgressStatus, argo: argoProgressing, argoMessage: "started reconciling",
	},
	{
		name: "in progress",
		apply: func(_ kindFixture, obj status.Object) {
			status.Report(obj, status.Outcome{Reason: waitingReason, Message: "Microsoft is verifying the customer."})
		},
		kstatus: kstatus.InProgressStatus, fluxCEL: kstatus.InProgressStatus, argo: argoProgressing, argoMessage: "Microsoft is verifying the customer.",
	},
	{
		name:    "blocked",
		apply:   func(k kindFixture, obj status.Object) { k.block(obj) },
		kstatus: kstatus.InProgressStatus, fluxCEL: kstatus.InProgressStatus, argo: argoProgressing,
	},
	{
		name: "stalled",
		apply: func(_ kindFixture, obj status.Object) {
			status.Report(obj, status.Outcome{Reason: stalledReason, Message: "Pick one of the suggested addresses."})
		},
		kstatus: kstatus.FailedStatus, fluxCEL: kstatus.FailedStatus, argo: argoDegraded, argoMessage: "Pick one of the suggested addresses.",
	},
	{
		name:    "ready",
		apply:   reportReady,
		kstatus: kstatus.CurrentStatus, fluxCEL: kstatus.CurrentStatus, argo: argoHealthy, argoMessage: "Everything declared is in effect.",
	},
	{
		// The spec moved on after the last reconcile: what status says is
		// about an older generation.
		name:  "ready but stale",
		apply: reportReady,
		then: func(ctx context.Context, c client.Client, k kindFixture, obj status.Object) error {
			k.changeSpec(obj)
			return c.Update(ctx, obj)
		},
		kstatus: kstatus.InProgressStatus, fluxCEL: kstatus.InProgressStatus, argo: argoProgressing, argoMessage: "generation",
	},
	{
		name: "paused",
		apply: func(_ kindFixture, obj status.Object) {
			status.Report(obj, status.Outcome{Ready: true, Reason: readyReason, Message: "Everything declared is in effect."})
			status.MarkTrue(obj, v1alpha1.ConditionPaused, status.ReasonPaused, "The paused annotation is set.")
		},
		kstatus: kstatus.CurrentStatus, fluxCEL: kstatus.CurrentStatus, argo: argoSuspended, argoMessage: "paused annotation",
	},
	{
		// The finalizer holds the object while the operator carries out its
		// deletion policy.
		name: "deleting",
		apply: func(_ kindFixture, obj status.Object) {
			status.Report(obj, status.Outcome{Reason: status.ReasonDeleting, Message: "Cancelling in Partner Center."})
		},
		then: func(ctx context.Context, c client.Client, _ kindFixture, obj status.Object) error {
			return c.Delete(ctx, obj)
		},
		kstatus: kstatus.TerminatingStatus, fluxCEL: kstatus.InProgressStatus, argo: argoProgressing, argoMessage: "deletion",
	},
}

// reportReady writes the settled, ready status.
func reportReady(_ kindFixture, obj status.Object) {
	status.Report(obj, status.Outcome{Ready: true, Reason: readyReason, Message: "Everything declared is in effect."})
}

// allFixtures is every kind in every state.
func allFixtures() []fixture {
	var out []fixture
	for _, k := range kinds {
		for _, s := range states {
			out = append(out, fixture{kind: k, state: s})
		}
	}
	return out
}

// store creates the fixture's object in ns (with the operator's finalizer,
// so a delete leaves it terminating), writes its status through the status
// subresource, runs the state's follow-up and reads the object back the way
// a GitOps tool sees it: unstructured JSON from the API server.
func store(ctx context.Context, c client.Client, ns string, f fixture, name string) (*unstructured.Unstructured, error) {
	obj := f.kind.build(ns, name)
	controllerutil.AddFinalizer(obj, v1alpha1.Finalizer)
	if err := c.Create(ctx, obj); err != nil {
		return nil, fmt.Errorf("creating %s: %w", f.name(), err)
	}
	if f.state.apply != nil {
		f.state.apply(f.kind, obj)
		if err := c.Status().Update(ctx, obj); err != nil {
			return nil, fmt.Errorf("writing the status of %s: %w", f.name(), err)
		}
	}
	if f.state.then != nil {
		if err := f.state.then(ctx, c, f.kind, obj); err != nil {
			return nil, fmt.Errorf("after the status of %s: %w", f.name(), err)
		}
	}
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind(f.kind.kind))
	if err := c.Get(ctx, client.ObjectKeyFromObject(obj), u); err != nil {
		return nil, fmt.Errorf("reading %s back: %w", f.name(), err)
	}
	return u, nil
}
