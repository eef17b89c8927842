// Package customer reconciles Customer objects: it creates a new Partner
// Center customer (or adopts an existing one, C7), stores the admin
// credentials crash-safely (C12), tracks verification (C10), qualification
// (C8), Cost Management (C11) and the MCA state (M6), and honours the
// deletion policy.
package customer

import (
	"context"
	"sync"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
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

// Reconciler reconciles Customer objects.
type Reconciler struct {
	// Client reads (cached) and writes Kubernetes objects.
	Client client.Client
	// Reader reads Secrets uncached, so the operator does not cache every Secret.
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
	// agreementOnly holds the settled Customers (key → agreementWake) woken
	// because an MCAAttestation of theirs changed: their next pass observes
	// only the agreement (M6); the other reads wait for the resync.
	agreementOnly sync.Map
}

// agreementWake is why a settled Customer's next pass observes only the agreement.
type agreementWake struct {
	// generation is the Customer's generation when it was woken: a spec
	// changed since then needs a full pass.
	generation int64
	// confirmedBy is the MCAAttestation that woke it, when Partner Center
	// confirmed that attestation's agreement ("" otherwise).
	confirmedBy string
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
		Watches(&v1alpha1.ResellerPartnership{}, handler.EnqueueRequestsFromMapFunc(r.customersOfPartnership), builder.WithPredicates(controller.PartnershipChanged)).
		Watches(&v1alpha1.MCAAttestation{}, handler.Funcs{UpdateFunc: r.attestationUpdated})
	if r.ChangeFeed != nil {
		b = b.WatchesRawSource(r.ChangeFeed.Customers(r.synced.Forget))
	}
	return b.Complete(r)
}

// Reconcile brings one Customer towards its spec: fetch, deletion, paused,
// the phases of the create/adopt path, then one status write.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return phase.Reconcile(ctx, r.Client, req, &v1alpha1.Customer{}, &r.Reporter, &r.synced, r.reconcile)
}

// reconcile runs the phases and turns their outcome into Ready/Reconciling/Stalled and a requeue.
func (r *Reconciler) reconcile(ctx context.Context, c *v1alpha1.Customer) (ctrl.Result, error) {
	if !c.DeletionTimestamp.IsZero() {
		h, err := r.reconcileDelete(ctx, c)
		if h == nil && err == nil {
			return ctrl.Result{}, nil // the finalizer is released; the object goes away
		}
		return r.Finish(c, h, err, status.Outcome{Ready: true, Reason: ReasonReady, Message: readyMessage(c)})
	}
	if r.Paused(c) {
		return ctrl.Result{}, nil
	}
	h, err := r.reconcileLive(ctx, c)
	return r.Finish(c, h, err, status.Outcome{Ready: true, Reason: ReasonReady, Message: readyMessage(c)})
}

// reconcileLive runs the create/adopt path and, once the customer exists, the
// phases that keep it in line with the spec. The first phase that must wait
// decides the outcome; the observers after it still run so status is current.
func (r *Reconciler) reconcileLive(ctx context.Context, c *v1alpha1.Customer) (*phase.Halt, error) {
	if h := r.validateSpec(c); h != nil {
		return h, nil
	}
	p := &pass{}
	if h, err := r.ensureExists(ctx, c, p); h != nil || err != nil {
		return h, err
	}
	phases := []func(context.Context, *v1alpha1.Customer, *pass) (*phase.Halt, error){
		r.syncBillingProfile, r.observeVerification, r.ensureQualification, r.ensureCostManagement, r.observeAgreement,
	}
	if wake, ok := r.onlyTheAgreementChanged(c); ok {
		phases = phases[len(phases)-1:]
		p.confirmedBy = wake.confirmedBy
	}
	var first *phase.Halt
	for _, phase := range phases {
		h, err := phase(ctx, c, p)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = h
		}
	}
	return first, nil
}

// onlyTheAgreementChanged tells (once) whether this pass was asked for by a
// change of the Customer's MCAAttestation while the Customer was settled and
// its spec has not changed since: then the agreement is all there is to observe.
func (r *Reconciler) onlyTheAgreementChanged(c *v1alpha1.Customer) (agreementWake, bool) {
	v, ok := r.agreementOnly.LoadAndDelete(client.ObjectKeyFromObject(c))
	wake, _ := v.(agreementWake)
	return wake, ok && wake.generation == c.Generation
}

// reconcileDelete carries out the deletion policy and releases the finalizer;
// (nil, nil) means the object may go. Nothing created remotely → nothing to
// wait for.
func (r *Reconciler) reconcileDelete(ctx context.Context, c *v1alpha1.Customer) (*phase.Halt, error) {
	if !controllerutil.ContainsFinalizer(c, v1alpha1.Finalizer) {
		return nil, nil
	}
	if h, err := r.deleteRemote(ctx, c); h != nil || err != nil {
		return h, err
	}
	if err := r.patchMetadata(ctx, c, func(obj *v1alpha1.Customer) { controllerutil.RemoveFinalizer(obj, v1alpha1.Finalizer) }); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	r.synced.Forget(client.ObjectKeyFromObject(c))
	return nil, nil
}
