// Package customer reconciles Customer objects: it creates a new Partner
// Center customer (or adopts an existing one, C7), stores the admin
// credentials crash-safely (C12), tracks verification (C10), qualification
// (C8), Cost Management (C11) and the MCA state (M6), and honours the
// deletion policy.
package customer

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/changefeed"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// ControllerName names the controller in logs, metrics and events.
const ControllerName = "customer"

// DefaultBillingAccountName is the MPA billing account used for the Cost
// Management policy call (C11) when none is configured.
const DefaultBillingAccountName = "default"

// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=customers,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=customers/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=customers/finalizers,verbs=update
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=resellerpartnerships;mcaattestations,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;create;update
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// SetupWithManager registers the Customer reconciler, backed by the shared
// Partner Center client.
func SetupWithManager(mgr ctrl.Manager, deps controller.Deps) error {
	r := &Reconciler{
		Client:     mgr.GetClient(),
		Reader:     mgr.GetAPIReader(),
		External:   deps.PartnerCenter,
		Reporter:   phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(ControllerName)},
		ChangeFeed: deps.ChangeFeed,
	}
	return r.SetupWithManager(mgr)
}

// Reconciler reconciles Customer objects: the Customer's part of the
// shared phase.Lifecycle (Validate, Live, DeleteRemote, Ready).
type Reconciler struct {
	// Client reads (cached) and writes Kubernetes objects.
	Client client.Client
	// Reader reads uncached: Secrets, so the operator does not cache every
	// Secret, and a Customer whose cached copy lags this process's writes.
	Reader client.Reader
	// External is Partner Center.
	External External
	// Reporter carries the operator configuration (role, backend, resync,
	// clock) and the event recorder, and reports each pass the shared way.
	phase.Reporter
	// ChangeFeed wakes the objects changed outside the operator; nil: none.
	ChangeFeed *changefeed.Feed

	// synced lets a settled Customer woken again skip Partner Center until its resync is due.
	synced phase.SyncCache
}

// resellerRefIndex indexes Customers by spec.indirectResellerRef.name, so a
// ResellerPartnership change wakes exactly the Customers waiting for it.
const resellerRefIndex = "spec.indirectResellerRef.name"

// SetupWithManager registers the reconciler with mgr. The Customer watch
// ignores status-only updates (its own writes); ResellerPartnership changes
// of spec or status, and MCAAttestation changes of what they report about
// the agreement, wake the Customers they concern.
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.Customer{}, resellerRefIndex, indexResellerRef); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&v1alpha1.Customer{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.ResellerPartnership{}, r.synced.Wake(r.customersOfPartnership), builder.WithPredicates(controller.PartnershipChanged)).
		Watches(&v1alpha1.MCAAttestation{}, r.synced.Wake(customerOfAttestation), builder.WithPredicates(agreementReportChanged))
	if r.ChangeFeed != nil {
		b = b.WatchesRawSource(r.ChangeFeed.Customers(&r.synced))
	}
	return b.Complete(r)
}

// Reconcile brings one Customer towards its spec through the shared lifecycle.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	lifecycle := phase.Lifecycle[*v1alpha1.Customer]{Client: r.Client, Reader: r.Reader, Reporter: &r.Reporter, Synced: &r.synced, Kind: r}
	return lifecycle.Reconcile(ctx, req, &v1alpha1.Customer{})
}

// Live runs the create/adopt path and, once the customer exists, the steps
// that keep it in line with the spec.
func (r *Reconciler) Live(ctx context.Context, c *v1alpha1.Customer, lp *phase.Pass) (*phase.Halt, error) {
	p := &pass{Pass: lp}
	if h, err := r.ensureExists(ctx, c, p); h != nil || err != nil {
		return h, err
	}
	if p.created == nil {
		confirmed, err := r.attestationConfirmed(ctx, c)
		if err != nil {
			return nil, err
		}
		p.attestationConfirmed = confirmed
	}
	return r.keepInLine(ctx, c, p)
}

// keepInLine runs the steps of a customer that exists in Partner Center.
func (r *Reconciler) keepInLine(ctx context.Context, c *v1alpha1.Customer, p *pass) (*phase.Halt, error) {
	return phase.Steps(ctx, c, p, r.syncBillingProfile, r.observeVerification, r.ensureQualification, r.ensureCostManagement, r.observeAgreement)
}

// Ready is the outcome of a Customer no step holds.
func (r *Reconciler) Ready(c *v1alpha1.Customer) status.Outcome {
	return status.Outcome{Ready: true, Reason: ReasonReady, Message: readyMessage(c)}
}
